"""A small archive for the search tests, written through ``Archive.save_page``.

Articles are random mixes of news-style sentences that put the query words in different
contexts (许昌市, 防疫情, 新冠疫情, 营商环境, 5G网络, ５Ｇ…), traps where a query word is
split by punctuation or a space (发展中，国家; 许 昌), English sentences, and text that
contains HTML. ``truth(db, query)`` is the ground truth: articles in which ``instr()`` finds
every term (NFKC + lower-case folded) in the kicker, title, subtitle, byline, body or
captions. Words that stand only in kickers (喜迎) or subtitles (访魏都区负责人) are queries too.
"""

from __future__ import annotations

import random
import sqlite3
import unicodedata
from pathlib import Path

import sqlite_utils

from pipelines.archive import Archive, search
from pipelines.archive.search import FTS_TABLE, query_terms, rebuild_index

SENTENCES = [
    "魏都区召开疫情防控工作会议，部署下一阶段重点任务。",
    "许昌市持续优化营商环境，全省营商环境评价中许昌位居前列。",
    "新冠疫情发生以来，社区工作者坚守一线。",
    "学习宣传贯彻党的二十大精神，推动高质量发展。",
    "纳米气凝胶毡生产线在许昌投产，产品用于新能源汽车。",
    "全市已建成5G基站三千余个，5G网络覆盖城乡。",
    "运营商开通５Ｇ网络，５Ｇ用户突破百万。",
    "防疫情、稳经济、保安全，各项工作有序推进。",
    "许昌营商环境持续改善，企业满意度提高。",
    "中国式现代化建设取得新进展。",
    "发展中，国家之间的合作不断深化。",
    "防疫。情况通报显示，全市无新增病例。",
    "记者在许 昌火车站看到，旅客秩序井然。",
    "魏都区教育局组织教师培训，提升教学质量。",
    "本报讯（记者 许廷合 通讯员 谢纪元）近日，魏都区举办招聘会。",
    "气凝胶材料具有隔热性能好、重量轻的特点。",
    "城乡居民收入稳步增长，消费市场持续回暖。",
    "党的二十大报告提出，要坚持以人民为中心的发展思想。",
    "The business environment in Xuchang improved again this year.",
    "Aerogel blankets made in Henan are exported to Europe.",
    "A well-known brand opened a factory in the development zone.",
    "Officials said the 5G network now covers every village.",
    "<script>alert('营商环境')</script>页面代码不应执行。",
    "<b>粗体</b>标记应当原样显示。",
]
TITLES = [
    "魏都区部署疫情防控工作",
    "许昌营商环境再获好评",
    "党的二十大精神进社区",
    "气凝胶产业加快发展",
    "5G网络覆盖全部行政村",
    "城乡居民收入稳步增长",
    "Business environment report",
    "<b>营商环境</b>专题",
    "教育质量稳步提升",
    "中国经济观察",
]
KICKERS = [None, None, "聚焦高质量发展", "喜迎党的二十大"]
SUBTITLES = [None, None, "——访魏都区负责人", "本报记者 许廷合"]
INDEXED = ("kicker", "title", "subtitle", "byline", "body", "captions")  # what search covers
BYLINES = [None, "□本报记者 许廷合 通讯员 谢纪元", "本报记者 张三", "Staff reporter"]
CAPTIONS = [
    [],
    ["工作人员在检查设备。 许廷合 摄"],
    ["魏都区疫情防控演练现场。 谢纪元 摄", "5G基站建设现场"],
    ["营商环境服务中心"],
]
PAPERS = [
    {"id": "xcrb", "name": "许昌日报", "family": "founder_col", "description": "许昌市委机关报",
     "homepage": "https://szb.21xc.com/xcrb/"},
    {"id": "demo", "name": "Demo Daily", "family": "founder_classic",
     "description": "A <b>demo</b> paper", "homepage": "https://example.org/demo/"},
]

RARE_TEXT = "青铜器修复工作取得进展。"  # one article only: a search that matches few rows
QUERIES = [
    "疫情",
    "许昌",
    "中国",
    "魏都区",
    "营商环境",
    "党的二十大",
    "疫",
    "的",
    "纳米气凝胶毡",
    "全省营商环境评价中许昌位居前列",
    "许昌 营商环境",
    "疫情 防控 魏都区",
    "aerogel",
    "business environment",
    '"business environment"',
    "５Ｇ",
    "5G网络",
    "5G",
    "许廷合 摄",
    "script",
    "喜迎",  # only in kickers
    "访魏都区负责人",  # only in subtitles
]


def article(rng: random.Random) -> dict:
    """One random article."""
    body = "\n".join(
        "".join(rng.choice(SENTENCES) for _ in range(rng.randint(1, 4)))
        for _ in range(rng.randint(1, 4))
    )
    return {
        "kicker": rng.choice(KICKERS),
        "title": rng.choice(TITLES),
        "subtitle": rng.choice(SUBTITLES),
        "byline": rng.choice(BYLINES),
        "body": body,
        "captions": rng.choice(CAPTIONS),
        "bbox": [10.0, 20.0, 300.0, 400.0],
    }


def build_archive(path: Path, *, pages: int = 80, seed: int = 42) -> Path:
    """Write ``pages`` pages of 1–8 articles each; some pages are written twice, so the
    index also goes through updates and deletions. Returns ``path``."""
    rng = random.Random(seed)
    with Archive(path) as archive:
        for paper in PAPERS:
            archive.upsert_paper(paper)
        for i in range(pages):
            paper = PAPERS[i % 2]["id"]
            page = {
                "paper": paper,
                "date": f"2023-06-{10 + i // 8:02d}",
                "page_no": i % 8 + 1,
                "page_name": f"第{i % 8 + 1:02d}版：要闻",
                "page_url": f"https://example.org/{paper}/{i}.html",
                "pdf_url": f"https://example.org/{paper}/{i}.pdf",
                "pdf_path": f"pdf/{i:02x}/{i}.pdf",
                "status": "ok",
            }
            archive.save_page(page, [article(rng) for _ in range(rng.randint(1, 8))])
            if i % 7 == 0:  # re-extracted: new text, fewer articles
                archive.save_page(page, [article(rng) for _ in range(rng.randint(0, 4))])
        rare = {"paper": "xcrb", "date": "2023-07-01", "page_no": 1, "status": "ok"}
        archive.save_page(rare, [{"title": "孤本", "body": RARE_TEXT}])
    return path


def fold(text: str | None) -> str:
    """What search compares: NFKC, lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def truth(db_path: Path, query: str, columns=INDEXED) -> set:
    """Ids of articles where instr() finds every term of ``query`` in one of ``columns``."""
    terms = [fold(t) for t in query_terms(query)]
    if not terms:
        return set()
    conn = sqlite3.connect(db_path)
    conn.create_function("fold", 1, fold, deterministic=True)
    one = "(" + " or ".join(f"instr(fold({c}), ?) > 0" for c in columns) + ")"
    sql = "select id from articles where " + " and ".join([one] * len(terms))
    params = [t for t in terms for _ in columns]
    try:
        return {r[0] for r in conn.execute(sql, params)}
    finally:
        conn.close()


def vocabulary(path, table: str = FTS_TABLE) -> list[tuple]:
    """Every (term, rowid, column, offset) the index ``table`` holds."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("create virtual table temp.vocab using "
                     f"fts5vocab(main, {table}, instance)")
        return sorted(conn.execute("select term, doc, col, offset from temp.vocab"))
    finally:
        conn.close()


def rebuilt_vocabulary(path, tmp_path, table: str = FTS_TABLE) -> list[tuple]:
    """The vocabulary of an index built afresh from the same articles."""
    copy = tmp_path / "rebuilt.db"
    copy.unlink(missing_ok=True)
    src = sqlite3.connect(path)
    src.execute("vacuum into ?", [str(copy)])
    src.close()
    db = sqlite_utils.Database(copy)
    rebuild_index(db, workers=0)
    db.close()
    return vocabulary(copy, table)


OLD_COLUMNS = ("title", "byline", "body", "captions")  # what the index covered before #15


def as_an_older_version_left_it(path) -> None:
    """Rewrite an archive's index the way newsarchive before index versions wrote it: four
    columns (no kicker, no subtitle), no forms index and no version recorded."""
    db = sqlite_utils.Database(path)
    db.execute(f"drop table {FTS_TABLE}")
    db.execute(f"drop table {search.VERSIONS_TABLE}")
    db.execute(f"drop table {search.FORMS_TABLE}")
    db.execute(f"create virtual table {FTS_TABLE} using fts5({', '.join(OLD_COLUMNS)}, "
               "content='', tokenize='unicode61 remove_diacritics 2')")
    for row in db.query(f"select date_key, {', '.join(OLD_COLUMNS)} from articles"):
        shadow = search.shadow_row(row)
        db.execute(f"insert into {FTS_TABLE}(rowid, {', '.join(OLD_COLUMNS)}) "
                   "values (?, ?, ?, ?, ?)", [row["date_key"], *(shadow[c] for c in OLD_COLUMNS)])
    db.conn.commit()
    db.close()
