"""The legal forms (Mẫu 01-06) as A4/A5 PDF for the office printer, beside the thermal slips.

templates.py turns a form's context (core.legal_forms) into a short list of layout lines by
the office's template; render.py lays those lines out with fpdf2 in an embedded Vietnamese
font (fonts.py); output.py sends the PDF to a CUPS queue or saves it; preview.py shows a
PDF's first page as text and as a PNG.
"""
