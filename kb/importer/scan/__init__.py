"""A scanned table whose columns the OCR interleaved line by line, put back in rows.

page: which pages are interleaved and their rows; row: one row's name and cells from its lines;
placement: a row's fragments in the lead or the coordinating column; fragments: a line cut into
the pieces of the columns it crosses; wording: a known indicator name followed through the text.
"""
