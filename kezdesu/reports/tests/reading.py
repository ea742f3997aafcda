"""Reopen generated files the way a reader would and return what they say."""

import io

from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader


def docx_text(content: bytes) -> str:
    """Every paragraph and table cell of a DOCX, one per line."""
    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines += [cell.text for cell in row.cells]
    return "\n".join(lines)


def docx_headings(content: bytes) -> list[tuple[str, str]]:
    document = Document(io.BytesIO(content))
    return [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]


def docx_table_rows(content: bytes, index: int) -> list[list[str]]:
    table = Document(io.BytesIO(content)).tables[index]
    return [[cell.text for cell in row.cells] for row in table.rows]


def xlsx_sheets(content: bytes) -> dict[str, list[tuple]]:
    """Sheet name -> rows of values."""
    workbook = load_workbook(io.BytesIO(content))
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}


def xlsx_text(content: bytes) -> str:
    return "\n".join(str(v) for rows in xlsx_sheets(content).values() for row in rows for v in row if v is not None)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def text_of(fmt: str, content: bytes) -> str:
    return {"docx": docx_text, "xlsx": xlsx_text, "pdf": pdf_text}[fmt](content)
