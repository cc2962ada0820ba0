package org.rankfold.tools.report;

/**
 * Something the report would show but the run directory does not record, listed at the end of the page.
 *
 * @param what  what is missing, e.g. "machine"
 * @param where where the report looks for it (file and field), so a pipeline author knows what to write
 */
record Missing(String what, String where) {
}
