"""Headings of scanned pages re-read with Tesseract (pipelines/extract/reread.py)."""

from __future__ import annotations

import logging

import pytest

from pipelines.extract import extract_pdf, reread
from pipelines.extract.reread import ReadLine, _display, _lines, better_reading, headline


def test_a_reading_replaces_layer_noise():
    assert better_reading("evacuate I 41 C UA 17 BALDWIN",
                          ("EVACUATION TRAGIC CASUALTY, BALDWIN", 78.0)) == \
        "EVACUATION TRAGIC CASUALTY, BALDWIN"
    assert better_reading("33 1 SU D RE MIT S TO", ("33 ISSUED PERMITS TO | RE-ENTER", 70.0)) == \
        "33 ISSUED PERMITS TO RE-ENTER"  # short noise "words" (SU, RE) count for nothing


def test_a_reading_never_replaces_a_layer_that_reads_well():
    assert better_reading("PERSONAL PROPERTY", ("PERSONAL", 95.0)) is None  # loses a word
    assert better_reading("evacuate tragic", ("EVACUATION TRAGIC", 50.0)) is None  # unsure
    assert better_reading("ty s ty 1l 4f v", ("AROS oO APTA we oy py BAP", 75.0)) is None  # noise
    assert better_reading("新闻 标题", ("ah Bp", 30.0)) is None
    assert better_reading("anything", None) is None


def line(text: str, top: float, bottom: float, conf: float = 90.0) -> ReadLine:
    return ReadLine(text, conf, top, bottom)


def test_a_headline_in_capitals_runs_on_over_its_lines():
    lines = [line("EVACUATION TRAGIC", 645, 662), line("CASUALTY, BALDWIN", 663, 677),
             line("SALT LAKE CITY -- The", 684, 695), line("ing casualty of", 706, 716)]
    found = headline(lines, 646, 666)
    assert [ln.text for ln in found] == ["EVACUATION TRAGIC", "CASUALTY, BALDWIN"]


def test_a_headline_not_in_capitals_is_its_own_lines():
    lines = [line("Real Estate Information", 68, 96), line("THE SECOND OF FIVE", 100, 124)]
    assert [ln.text for ln in headline(lines, 68, 99)] == ["Real Estate Information"]


def test_smaller_capitals_under_a_headline_are_not_its_lines():
    lines = [line("PERSONAL PROPERTY", 305, 320), line("ACME CO", 322, 330)]
    assert [ln.text for ln in headline(lines, 304, 318)] == ["PERSONAL PROPERTY"]


def test_a_body_line_read_as_taller_capitals_is_a_headline():
    """A first line of a body block that the layer read as noise ("ISH 0 f fops") is a
    headline when Tesseract reads it in capitals taller than the lines under it."""
    lines = [line("1 CA, Lf - . -", 699.0, 706.7, 41.0), line("SHARECROP OFFERS", 701.9, 715.1),
             line("of sharcerop", 718.5, 728.1), line("offers have boen roccived", 726.4, 737.9),
             line("from Southern Miehtaan", 737.4, 746.3)]
    found = headline(lines, 702, 722)
    assert [ln.text for ln in found] == ["SHARECROP OFFERS"] and _display(found, lines)


def test_body_text_and_run_in_small_capitals_are_no_headline():
    lines = [line("TRAVELLERS AND", 1711, 1735), line("donee, time of arrival and", 1736, 1757),
             line("tion of their names, place", 1758, 1779)]  # as tall as the text: a lead-in
    assert not _display(headline(lines, 1709, 1743), lines)
    lines = [line("certained most of the seve", 576, 587), line("en frmilieg igsued", 588, 597),
             line("heave some nember", 599, 608)]  # not in capitals: running text
    assert not _display(headline(lines, 575, 589), lines)
    lines = [line("SHARECROP OFFERS", 702, 715), line("of sharcerop", 718, 728)]
    assert not _display(headline(lines, 702, 722), lines)  # too few lines under it to tell


def test_tesseract_words_are_grouped_by_crop_and_line():
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight" \
             "\tconf\ttext\n"
    rows = [(1, 40, 100, "TITLE", 95), (1, 45, 300, "SEARCH", 93), (1, 200, 40, "~", 5),
            (2, 40, 90, "RECEPTION", 91), (2, 43, 420, "COMM.", 93), (2, 130, 100, "NEW", 90)]
    tsv = header + "".join(f"5\t{p}\t1\t1\t1\t1\t{x}\t{top}\t100\t50\t{conf}\t{text}\n"
                           for p, top, x, text, conf in rows)
    crop1, crop2 = _lines(tsv, [100.0, 500.0])
    assert [(ln.text, ln.top) for ln in crop1] == [("TITLE SEARCH", 100.0 + 40 * 72 / 300)]
    assert [ln.text for ln in crop2] == ["RECEPTION COMM.", "NEW"]


@pytest.mark.parametrize("name", ["topaz-times-1944-12-13-p1.pdf", "topaz-times-1944-12-13-p2.pdf"])
def test_without_tesseract_extraction_is_the_layers_and_says_so(real_corpus, monkeypatch, caplog,
                                                                 name):
    from pipelines.extract import document

    real_extract = document.extract_page
    monkeypatch.setattr(document, "extract_page",
                        lambda content, budget, reader=None: real_extract(content, budget))
    layer_only = extract_pdf(real_corpus / name)
    monkeypatch.setattr(document, "extract_page", real_extract)
    monkeypatch.setattr(reread.shutil, "which", lambda name: None)
    reread.tesseract.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="pipelines.extract.reread"):
            doc = extract_pdf(real_corpus / name)
    finally:
        reread.tesseract.cache_clear()
    assert doc == layer_only and doc["pages"][0]["status"] == "ok"
    assert "tesseract not found" in caplog.text


def test_born_digital_pages_are_never_reread(real_corpus, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a born-digital page was sent to OCR")

    monkeypatch.setattr(reread.ScanReader, "read", refuse)
    doc = extract_pdf(real_corpus / "federal-register-2020-17221.pdf")
    assert all(p["status"] == "ok" for p in doc["pages"])


@pytest.mark.parametrize("name", ["topaz-times-1944-12-13-p1.pdf",
                                  "topaz-times-1944-12-13-p2.pdf"])
def test_one_page_costs_two_tesseract_runs(real_corpus, monkeypatch, name):
    calls = []
    real = reread.subprocess.run

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(reread.subprocess, "run", counted)
    extract_pdf(real_corpus / name)
    assert len(calls) == 2  # find the headlines' lines (p1: one in a body block), read them alone


def test_rereading_can_be_turned_off(real_corpus, monkeypatch):
    """extract_pdf(reread=False) never runs Tesseract, and the crawl's pipeline passes
    EXTRACT_REREAD_SCANS on to its workers."""
    from scrapy.utils.test import get_crawler

    from pipelines.extraction import ExtractPipeline

    def refuse(*args, **kwargs):
        raise AssertionError("tesseract ran with rereading off")

    monkeypatch.setattr(reread.subprocess, "run", refuse)
    doc = extract_pdf(real_corpus / "topaz-times-1944-12-13-p2.pdf", reread=False)
    assert doc["pages"][0]["status"] == "ok" and doc["pages"][0]["articles"]
    for value, expected in ((None, True), (False, False)):
        settings = {"FILES_STORE": "files"}
        if value is not None:
            settings["EXTRACT_REREAD_SCANS"] = value
        assert ExtractPipeline.from_crawler(get_crawler(settings_dict=settings)).reread is expected


def test_a_pdf_gets_a_bounded_tesseract_time(real_corpus, monkeypatch, caplog):
    """Once a PDF's tesseract budget is spent, its further pages keep their layer's text (a
    PDF of many scans must not outlast the crawl's per-PDF timeout)."""
    path = real_corpus / "topaz-times-1944-12-13-p2.pdf"
    monkeypatch.setattr(reread, "BUDGET", 0.0)
    with caplog.at_level(logging.WARNING, logger="pipelines.extract.reread"):
        spent = extract_pdf(path)
    assert spent == extract_pdf(path, reread=False)
    assert "are spent: page 1 keeps its OCR layer's headings" in caplog.text
    monkeypatch.setattr(reread, "BUDGET", 60.0)
    assert extract_pdf(path) != spent  # with time left, headings are re-read
