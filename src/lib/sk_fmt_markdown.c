/* sk_fmt_markdown: GitHub-flavoured Markdown tables, for reports (write
 * only). */
#include "sk_fmt_impl.h"

/*
 * Each block of records with the same fields is one table: a header row of
 * the field names, a delimiter row, then one row per record, written as
 * the records come (nothing is held back, so it streams). A new field set
 * starts a new table after an empty line. In a cell, '|' is written \|
 * and '\' as \\, a newline as <br>, and other control bytes ('\r' among
 * them) as '?', so a value never breaks the table. The header row is always
 * written: a Markdown table needs one. Numbers are shown in the readable
 * form of -o table unless --ofmt is given.
 */

static void put_cell(sk_out *o, const char *p, size_t n)
{
	size_t run = 0;
	sk_out_putc(o, ' ');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c >= 0x20 && c != 0x7f && c != '|' && c != '\\')
			continue;
		sk_out_write(o, p + run, i - run);
		run = i + 1;
		if (c == '|' || c == '\\') {
			sk_out_putc(o, '\\');
			sk_out_putc(o, (char)c);
		} else if (c == '\n') {
			sk_out_puts(o, "<br>");
		} else {
			sk_out_putc(o, '?');
		}
	}
	sk_out_write(o, p + run, n - run);
	sk_out_puts(o, " |");
}

static void markdown_write(sk_writer *w, const sk_record *rec)
{
	if (rec->nf == 0)
		return; /* a row with no cells is no table */
	if (sk_writer_header_changed(w, rec)) {
		if (w->blocks > 1)
			sk_out_putc(w->out, '\n');
		sk_out_putc(w->out, '|');
		for (size_t i = 0; i < w->nhdr; i++) {
			sk_str nm = sk_schema_name(w->schema, w->hdr[i]);
			put_cell(w->out, nm.p, nm.n);
		}
		sk_out_puts(w->out, "\n|");
		for (size_t i = 0; i < w->nhdr; i++)
			sk_out_puts(w->out, " --- |");
		sk_out_putc(w->out, '\n');
	}
	if (w->header_only)
		return;
	sk_out_putc(w->out, '|');
	for (size_t i = 0; i < rec->nf; i++)
		put_cell(w->out, rec->f[i].p, rec->f[i].n);
	sk_out_putc(w->out, '\n');
}

const sk_format sk_fmt_markdown = {
	.name = "markdown",
	.write = markdown_write,
	.has_header = 1,
	.readable_numbers = 1,
};
