"""The search index: shadow text, query translation, exactness against instr(), upkeep."""

from __future__ import annotations

import sqlite3

import pytest
import sqlite_utils

from pipelines.archive import Archive, search
from pipelines.archive.search import (
    FTS_TABLE,
    NOTHING,
    fts_query,
    fts_query_raw,
    gap_char,
    rebuild_index,
    shadow_text,
    tokens,
)
from tests.search_corpus import (
    INDEXED,
    QUERIES,
    as_an_older_version_left_it,
    build_archive,
    rebuilt_vocabulary,
    truth,
    vocabulary,
)


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory):
    return build_archive(tmp_path_factory.mktemp("search") / "archive.db")


def matches(path, query: str, target: str = FTS_TABLE, translate=fts_query) -> set:
    conn = sqlite3.connect(path)
    try:
        sql = (f"select id from articles where date_key in "
               f"(select rowid from {FTS_TABLE} where {target} match ?)")
        return {r[0] for r in conn.execute(sql, [translate(query)])}
    finally:
        conn.close()


def mini_index(*texts: str) -> sqlite_utils.Database:
    """An in-memory index of ``texts`` as article bodies, rowids 1, 2, …"""
    db = sqlite_utils.Database(memory=True)
    search.create_index(db)
    for i, text in enumerate(texts, start=1):
        search.index_article(db, i, {"body": text})
    return db


def found(db: sqlite_utils.Database, query: str, translate=fts_query) -> list[int]:
    sql = f"select rowid from {FTS_TABLE} where {FTS_TABLE} match ? order by rowid"
    return [r[0] for r in db.execute(sql, [translate(query)])]


def test_every_cjk_character_is_a_token():
    assert tokens("魏都区召开会议") == list("魏都区召开会议")
    assert tokens("5G网络 and business") == ["5G", "网", "络", gap_token_of(" "), "and", "business"]


def gap_token_of(char: str) -> str:
    (token,) = tokens("中" + char)[1:]
    return token


def test_punctuation_and_spaces_next_to_cjk_are_tokens_of_their_own():
    toks = tokens("中，国 许\n昌")
    assert [gap_char(t) or t for t in toks] == ["中", ",", "国", " ", "许", "\n", "昌"]
    assert tokens("business, environment") == ["business", "environment"]  # English as usual


def test_full_width_forms_are_folded():
    assert tokens("５Ｇ网络") == tokens("5G网络")
    assert shadow_text("ＡＢＣ") == "ABC"


def test_a_phrase_does_not_match_across_punctuation_or_space():
    db = mini_index("发展中，国家合作", "中国式现代化", "中 国", "中。国", "中国")
    assert found(db, "中国") == [2, 5]
    assert found(db, "中，国") == [1]
    assert found(db, "国") == [1, 2, 3, 4, 5]


def test_nothing_matches_nothing():
    db = mini_index("中国", "business", "\uf8ff")
    assert found(db, "", fts_query) == []
    assert found(db, "   ", fts_query_raw) == []


def test_english_is_word_search():
    db = mini_index("The party started", "Modern art", "State of the ART", "artistic")
    assert found(db, "art") == [2, 3]
    assert found(db, '"modern art"') == [2]


def test_search_box_query_translation():
    assert fts_query("魏都区 疫情") == '"魏 都 区" "疫 情"'
    assert fts_query('"营商 环境"') == f'"营 商 {gap_token_of(" ")} 环 境"'
    assert fts_query("疫情 OR 气凝胶") == '"疫 情" "OR" "气 凝 胶"'  # OR is a word here
    assert fts_query("") == fts_query("   ") == fts_query('"') == NOTHING


def test_raw_query_translation_keeps_operators():
    assert fts_query_raw("疫情 OR 气凝胶") == '"疫 情" OR "气 凝 胶"'
    assert fts_query_raw("NEAR(许昌 营商环境, 3)") == 'NEAR("许 昌" "营 商 环 境", 3)'
    assert fts_query_raw("title:疫情 NOT 许昌") == 'title:"疫 情" NOT "许 昌"'
    assert fts_query_raw("{title body}: 疫情*") == '{title body}: "疫 情"*'
    assert fts_query_raw("=臺灣 OR 頭髮") == '"台 湾" OR "头 发"'  # folded, mark dropped
    assert fts_query("=臺灣 頭髮") == fts_query("台湾 头发") == '"台 湾" "头 发"'
    assert fts_query_raw('(5G网络 OR "business environment") AND ^魏都区') == (
        '("5G 网 络" OR "business environment") AND ^"魏 都 区"'
    )


@pytest.mark.parametrize("query", QUERIES)
def test_index_finds_exactly_what_instr_finds(archive_path, query):
    expected = truth(archive_path, query)
    assert expected, f"the corpus should contain {query!r}"
    assert matches(archive_path, query) == expected


@pytest.mark.parametrize("column", INDEXED)
def test_column_search_finds_exactly_what_instr_finds(archive_path, column):
    found_any = False
    for query in ("许廷合", "营商环境", "5G", "疫", "喜迎", "魏都区"):
        expected = truth(archive_path, query, columns=(column,))
        assert matches(archive_path, query, target=column) == expected
        found_any = found_any or bool(expected)
    assert found_any, f"no query of the test finds anything in {column}"


@pytest.mark.parametrize("query", ["喜迎", "访魏都区负责人", "党的二十大"])
def test_words_in_kickers_and_subtitles_are_found(archive_path, query):
    only_there = truth(archive_path, query) - truth(
        archive_path, query, columns=("title", "byline", "body", "captions"))
    assert only_there, f"the corpus should have {query!r} only in a kicker or subtitle"
    assert only_there <= matches(archive_path, query)


def test_raw_operators(archive_path):
    epidemic, aerogel = truth(archive_path, "疫情"), truth(archive_path, "气凝胶")
    raw = fts_query_raw
    assert matches(archive_path, "疫情 OR 气凝胶", translate=raw) == epidemic | aerogel
    assert matches(archive_path, "疫情 NOT 气凝胶", translate=raw) == epidemic - aerogel
    near = matches(archive_path, "NEAR(许昌 营商环境, 2)", translate=raw)
    assert near and near <= truth(archive_path, "许昌 营商环境")


def test_index_follows_rewritten_and_removed_articles(tmp_path):
    path = tmp_path / "archive.db"
    page = {"paper": "xcrb", "date": "2023-06-16", "page_no": 1, "status": "ok"}
    with Archive(path) as archive:
        archive.save_page(page, [{"title": "旧标题", "body": "纳米气凝胶毡投产"},
                                 {"title": "第二篇", "body": "魏都区召开会议"}])
        assert matches(path, "气凝胶") and matches(path, "魏都区")
        archive.save_page(page, [{"title": "新标题", "body": "营商环境持续改善"}])
    assert not matches(path, "气凝胶") and not matches(path, "魏都区")
    assert not matches(path, "旧标题")
    assert matches(path, "营商环境") == matches(path, "新标题") == {1}


def test_rebuild_gives_the_same_index(archive_path, tmp_path):
    copy = tmp_path / "copy.db"
    src = sqlite3.connect(archive_path)
    src.execute("vacuum into ?", [str(copy)])
    src.close()
    db = sqlite_utils.Database(copy)
    assert rebuild_index(db, workers=0) == db["articles"].count
    db.close()
    for query in QUERIES:
        assert matches(copy, query) == matches(archive_path, query), query


def test_title_hits_rank_first():
    db = mini_index()
    search.index_article(db, 1, {"title": "会议", "body": "营商环境" + "。其他内容" * 20})
    search.index_article(db, 2, {"title": "营商环境好", "body": "其他内容" * 20})
    sql = f"select rowid from {FTS_TABLE} where {FTS_TABLE} match ? order by rank"
    assert [r[0] for r in db.execute(sql, [fts_query("营商环境")])] == [2, 1]


def test_stock_sqlite_reads_every_table(archive_path):
    conn = sqlite3.connect(archive_path)  # no plugin, no functions registered
    try:
        names = [r[0] for r in conn.execute("select name from sqlite_master where type='table'")]
        assert {"papers", "pages", "articles", FTS_TABLE} <= set(names)
        for name in names:
            conn.execute(f"select * from [{name}] limit 5").fetchall()
        # Searching by hand: one character per token, as docs/search.md says.
        hits = {r[0] for r in conn.execute(
            f"select id from articles where date_key in (select rowid from {FTS_TABLE} "
            f"where {FTS_TABLE} match '\"疫 情\"')")}
        assert hits == truth(archive_path, "疫情")
    finally:
        conn.close()


def test_an_older_index_is_rebuilt_when_the_archive_is_opened(tmp_path):
    path = build_archive(tmp_path / "archive.db", pages=16)
    as_an_older_version_left_it(path)
    assert not matches(path, "喜迎")  # the old index has no kicker
    with Archive(path) as archive:
        articles = archive.db["articles"].count
        assert archive.index_rebuilt == articles
        assert search.stored_version(archive.db) == search.index_version()
    assert matches(path, "喜迎") == truth(path, "喜迎") != set()
    assert vocabulary(path) == rebuilt_vocabulary(path, tmp_path)
    with Archive(path) as archive:  # up to date now: opened again, nothing is rebuilt
        assert archive.index_rebuilt is None
        # Rewriting a page deletes its old entries with the text they were indexed with.
        page = archive.page("xcrb", "2023-06-10", 1)
        archive.save_page(page, [{"kicker": "喜迎新春", "title": "新标题", "body": "正文"}])
    assert vocabulary(path) == rebuilt_vocabulary(path, tmp_path)
    assert matches(path, "喜迎新春") == truth(path, "喜迎新春") != set()
