#!/usr/bin/env bats
# What the aggregate table says of each aggregate beyond its state: the
# constant arguments of top and approx_p, the pNN family, the column names,
# share's total over all groups, states that need 16-byte alignment.
# Exact outputs, on one small input.

load helpers

IN=$'k,a,s\nx,1,u\ny,2,v\nx,4,u\ny,8,w\nx,16,u\n'

@test "aggregate table: top's k is from 1" {
	printf %s "$IN" | check 2 '' $'stream-agg: 1:1: top: k must be an integer from 1 to 10000\n  top(s, 0)\n  ^^^^^^^^^' -- stream-agg -g k 'top(s, 0)'
}

@test "aggregate table: top's k is at most 10000" {
	printf %s "$IN" | check 2 '' $'stream-agg: 1:1: top: k must be an integer from 1 to 10000\n  top(s, 10001)\n  ^^^^^^^^^^^^^' -- stream-agg -g k 'top(s, 10001)'
}

@test "aggregate table: top's k is a whole number" {
	printf %s "$IN" | check 2 '' $'stream-agg: 1:1: top: k must be an integer from 1 to 10000\n  top(s, 1.5)\n  ^^^^^^^^^^^' -- stream-agg -g k 'top(s, 1.5)'
}

@test "aggregate table: top keeps k values" {
	printf %s "$IN" | check 0 $'k,top_s\nx,u:3\ny,v:1;w:1\n' '' -- stream-agg -g k 'top(s, 2)'
}

@test "aggregate table: approx_p's q is from 0 to 1" {
	printf %s "$IN" | check 2 '' $'stream-agg: 1:1: approx_p: q must be a number from 0 to 1\n  approx_p(a, 2)\n  ^^^^^^^^^^^^^^' -- stream-agg -g k 'approx_p(a, 2)'
}

@test "aggregate table: approx_p's q is a constant" {
	printf %s "$IN" | check 2 '' $'stream-agg: 1:1: approx_p: argument 2 must be a constant number\n  approx_p(a, b)\n  ^^^^^^^^^^^^^^' -- stream-agg -g k 'approx_p(a, b)'
}

@test "aggregate table: approx_p's column names its q" {
	printf %s "$IN" | check 0 $'k,approx_p0.5_a\nx,4.0148353330285875\ny,2\n' '' -- stream-agg -g k 'approx_p(a, 0.5)'
}

@test "aggregate table: p alone is the median; pNN names its quantile" {
	printf %s "$IN" | check 0 $'k,p_a,p50_a,p99.9_a,median_a\nx,4,4,15.976000000000003,4\ny,5,5,7.994000000000001,5\n' '' -- stream-agg -g k 'p(a), p50(a), p99.9(a), median(a)'
}

@test "aggregate table: p above 100 is no percentile" {
	printf %s "$IN" | check 2 '' $'stream-agg: 1:1: unknown aggregate \'p101\'\n  p101(a)\n  ^^^^^^^' -- stream-agg -g k 'p101(a)'
}

@test "aggregate table: the family's name is no aggregate" {
	printf %s "$IN" | check 2 '' $'stream-agg: 1:1: unknown aggregate \'pNN\'\n  pNN(a)\n  ^^^^^^' -- stream-agg -g k 'pNN(a)'
}

@test "aggregate table: pNN takes one argument" {
	printf %s "$IN" | check 2 '' $'stream-agg: 1:1: pNN takes 1 argument\n  p9(a, 1)\n  ^^^^^^^^' -- stream-agg -g k 'p9(a, 1)'
}

@test "aggregate table: count takes no argument" {
	printf %s "$IN" | check 2 '' $'stream-agg: 1:1: count takes no argument\n  count(a)\n  ^^^^^^^^' -- stream-agg -g k 'count(a)'
}

@test "aggregate table: a name of the family is found beside one that starts with p" {
	printf %s "$IN" | check 0 $'k,pvar_a,p10_a\nx,42,1.6\ny,9,2.6\n' '' -- stream-agg -g k 'pvar(a), p10(a)'
}

@test "aggregate table: share is a part of the sum over all groups" {
	printf %s "$IN" | check 0 $'k,share_a,sum_a\nx,0.6774193548387096,21\ny,0.3225806451612903,10\n' '' -- stream-agg -g k 'share(a), sum(a)'
}

@test "aggregate table: states of 16-byte alignment beside others" {
	printf %s "$IN" | check 0 $'k,var_a,count,stddev_a,first_s,pvar_a\nx,63,3,7.937253933193772,u,42\ny,18,2,4.242640687119285,v,9\n' '' -- stream-agg -g k 'var(a), count, stddev(a), first(s), pvar(a)'
}

@test "aggregate table: an unknown name with a suggestion" {
	printf %s "$IN" | check 2 '' $'stream-agg: 1:1: unknown aggregate \'summ\' (did you mean \'sum\'?)\n  summ(a)\n  ^^^^^^^' -- stream-agg -g k 'summ(a)'
}
