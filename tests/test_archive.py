"""The archive writer: idempotent upserts, nothing archived lost, index kept in step."""

from __future__ import annotations

import json
import sqlite3

import pytest
import sqlite_utils

from pipelines.archive import Archive, ArchiveError, search
from pipelines.archive.search import fts_query

PAGE = {"paper": "xcrb", "date": "2023-06-16", "page_no": 1, "page_name": "要闻", "status": "ok"}
ARTICLES = [
    {
        "title": "魏都区召开优化营商环境推进会",
        "byline": "本报记者 许廷合",
        "body": "第一段。\n第二段。",
        "captions": ["会议现场。许廷合 摄"],
        "bbox": [10, 20, 300, 400],
    },
    {"title": "许烟社区", "body": "疫情防控常态化。"},
]


def hits(archive: Archive, query: str) -> list[int]:
    sql = ("select id from articles where date_key in (select rowid from articles_fts "
           "where articles_fts match ?) order by id")
    return [r[0] for r in archive.db.execute(sql, [fts_query(query)]).fetchall()]


def hits_by_id(db: sqlite_utils.Database, query: str) -> list[int]:
    sql = "select rowid from articles_fts where articles_fts match ? order by rowid"
    return [r[0] for r in db.execute(sql, [fts_query(query)]).fetchall()]


def test_saving_a_page_twice_changes_nothing(tmp_path):
    with Archive(tmp_path / "a.db") as archive:
        first = archive.save_page(PAGE, ARTICLES)
        rows = list(archive.db["articles"].rows)
        second = archive.save_page(PAGE, ARTICLES)
        assert first == second
        assert list(archive.db["articles"].rows) == rows
        assert archive.db["pages"].count == 1
        assert hits(archive, "营商环境") == [rows[0]["id"]]
        assert rows[0]["captions"] == '["会议现场。许廷合 摄"]'
        assert rows[0]["bbox"] == "[10, 20, 300, 400]"


def test_a_failed_attempt_never_replaces_an_archived_page(tmp_path):
    with Archive(tmp_path / "a.db") as archive:
        page_id = archive.save_page(PAGE, ARTICLES)
        failed = {**PAGE, "status": "error", "reason": "truncated PDF"}
        assert archive.save_page(failed, []) == page_id
        assert archive.page("xcrb", "2023-06-16", 1)["status"] == "ok"
        assert archive.db["articles"].count == 2
        assert [(f["stage"], f["reason"]) for f in archive.db["failures"].rows] == [
            ("extract", "truncated PDF")
        ]


def test_new_text_keeps_article_ids_and_reindexes(tmp_path):
    with Archive(tmp_path / "a.db") as archive:
        archive.save_page(PAGE, ARTICLES)
        ids = [r["id"] for r in archive.db["articles"].rows]
        changed = [ARTICLES[0], {"title": "许烟社区", "body": "气凝胶新材料。"}]
        archive.save_page(PAGE, changed)
        assert [r["id"] for r in archive.db["articles"].rows] == ids
        assert hits(archive, "疫情") == []
        assert hits(archive, "气凝胶") == [ids[1]]
        archive.save_page(PAGE, changed[:1])  # an article gone from the page
        assert archive.db["articles"].count == 1
        assert hits(archive, "气凝胶") == []


def test_archive_survives_reopening_and_readers_use_stock_sqlite(tmp_path):
    path = tmp_path / "a.db"
    with Archive(path) as archive:
        archive.upsert_paper({"id": "xcrb", "name": "许昌日报"})
        archive.save_page(PAGE, ARTICLES)
    with Archive(path) as archive:  # schema creation is idempotent
        assert archive.db["articles"].count == 2
    conn = sqlite3.connect(path)
    assert conn.execute("select name from papers").fetchall() == [("许昌日报",)]
    assert conn.execute("pragma journal_mode").fetchone() == ("wal",)


def test_a_file_that_is_not_a_database_gets_a_clear_error(tmp_path):
    path = tmp_path / "a.db"
    path.write_text("this is not sqlite " * 100)
    with pytest.raises(ArchiveError, match="cannot open archive"):
        Archive(path)


def test_reordered_articles_keep_their_ids_and_changed_ones_their_slot(tmp_path):
    with Archive(tmp_path / "a.db") as archive:
        three = [{"title": t, "body": f"{t}正文。"} for t in ("甲", "乙", "丙")]
        archive.save_page(PAGE, three)
        ids = {r["title"]: r["id"] for r in archive.db["articles"].rows}
        new = [three[2], {"title": "乙", "body": "改过的正文。"}, three[0]]
        archive.save_page(PAGE, new)
        rows = list(archive.db["articles"].rows_where(order_by="seq"))
        assert [(r["seq"], r["title"], r["id"]) for r in rows] == [
            (1, "丙", ids["丙"]),
            (2, "乙", ids["乙"]),
            (3, "甲", ids["甲"]),
        ]
        assert hits(archive, "改过") == [ids["乙"]]
        assert hits(archive, "乙正文") == []
        assert hits(archive, "丙正文") == [ids["丙"]]


def test_search_keys_rise_with_the_date(tmp_path):
    """The index refers to articles by date_key: newer pages sort after older ones whatever
    order they were archived in (backfills go newest first)."""
    with Archive(tmp_path / "a.db") as archive:
        archive.save_page({**PAGE, "date": "2024-01-02"}, ARTICLES)
        archive.save_page({**PAGE, "date": "2023-01-05"}, ARTICLES)
        rows = list(archive.db.query("select id, date, date_key from articles order by date_key"))
        assert [r["date"] for r in rows] == ["2023-01-05"] * 2 + ["2024-01-02"] * 2
        assert len({r["date_key"] for r in rows}) == 4
        assert hits(archive, "营商环境") == sorted(r["id"] for r in rows[::2])


def test_an_archive_from_before_date_keys_is_migrated(tmp_path):
    """An archive whose index was keyed by article id (no date_key column yet) gets its keys
    and a rebuilt index when opened; search then finds the same articles."""
    path = tmp_path / "a.db"
    with Archive(path) as archive:
        archive.save_page(PAGE, ARTICLES)
        archive.save_page({**PAGE, "page_no": 2}, [{"title": "疫情", "body": "营商环境"}])
        expected = hits(archive, "营商环境")
    db = sqlite_utils.Database(path)  # as an older version left it: keyed by id
    db.execute("drop index articles_search_keys")
    db.execute("alter table articles drop column date_key")
    db.execute("insert into articles_fts(articles_fts) values ('delete-all')")
    for row in db["articles"].rows:
        search.index_article(db, row["id"], row)
    db.conn.commit()
    assert hits_by_id(db, "营商环境") == expected
    db.close()
    with Archive(path) as archive:
        assert archive.db.execute("select count(*) from articles where date_key is null"
                                  ).fetchone()[0] == 0
        assert hits(archive, "营商环境") == expected and len(expected) == 2


def test_an_archive_from_before_site_articles_gains_the_columns(tmp_path):
    """Opened by this version, an older archive.db gets site_articles, the articles'
    source (its articles were all the PDF's) and the quality view; its text is unchanged."""
    path = tmp_path / "a.db"
    with Archive(path) as archive:
        archive.save_page(PAGE, ARTICLES)
        before = [(r["id"], r["title"], r["body"]) for r in archive.db["articles"].rows]
    db = sqlite_utils.Database(path)  # as the version before issue 13 left it
    db["site_articles"].drop()
    db.execute("drop view extraction_quality")
    for column in ("source", "url", "pdf_text", "match", "cer_edits", "cer_chars", "cer"):
        db.execute(f"alter table articles drop column [{column}]")
    db.conn.commit()
    db.close()
    with Archive(path) as archive:
        rows = list(archive.db["articles"].rows)
        assert [(r["id"], r["title"], r["body"]) for r in rows] == before
        assert {r["source"] for r in rows} == {"pdf"}
        assert archive.db["site_articles"].exists()
        assert archive.agreement() == {"pages": 0, "matched": 0, "missing": 0, "extra": 0,
                                       "edits": 0, "chars": 0, "cer": None}


def test_agreement_totals_over_chosen_pages(tmp_path):
    """Two pages measured against their site articles; totals over any set of page ids."""
    site = {
        "url": "http://x/c1.html",
        "title": "魏都区召开优化营商环境推进会",
        "byline": "本报记者 许廷合",
        "paragraphs": ["第一段。", "第二段。"],
        "captions": ["会议现场。许廷合 摄"],
        "hotspot": {"image": [421, 595], "polygons": [[[5, 10], [150, 10], [150, 200], [5, 200]]]},
    }
    page = {**PAGE, "width": 842.0, "height": 1190.0}
    with Archive(tmp_path / "a.db") as archive:
        one = archive.save_page(page, ARTICLES, site_articles=[site])
        two = archive.save_page({**page, "page_no": 2}, ARTICLES[:1],
                                site_articles=[{**site, "paragraphs": ["第一段。"]}])
        [stored] = archive.db["site_articles"].rows_where("page_id = ?", [one])
        assert json.loads(stored["bbox"]) == [10.0, 20.0, 300.0, 400.0]  # pixels x 2
        assert archive.agreement([one]) == {"pages": 1, "matched": 1, "missing": 0, "extra": 1,
                                            "edits": 0, "chars": 29, "cer": 0.0}
        both = archive.agreement(range(one, two + 100_000))  # many ids: one parameter
        assert (both["pages"], both["matched"], both["edits"], both["chars"]) == (2, 2, 4, 54)
        assert archive.agreement([])["pages"] == 0


def test_an_articles_section_head_is_stored_and_old_archives_gain_the_column(tmp_path):
    """The engine's ``section`` (the head an article stands under, 【一周要闻】) is a column;
    an archive made before it gains the column when opened, its rows kept."""
    path = tmp_path / "a.db"
    with Archive(path) as archive:
        archive.save_page(PAGE, ARTICLES)
    db = sqlite_utils.Database(path)
    db.execute("alter table articles drop column section")
    db.close()
    with Archive(path) as archive:
        assert [r["section"] for r in archive.db["articles"].rows] == [None, None]
        brief = {"section": "【一周要闻】", "title": "许昌召开会议", "body": "会议召开。"}
        archive.save_page({**PAGE, "page_no": 2}, [brief])
        rows = archive.db.execute("select section, title from articles where page_no = 2")
        assert rows.fetchall() == [("【一周要闻】", "许昌召开会议")]
