"""Reporting: the status board, the report in words, the workbook and the chart."""
