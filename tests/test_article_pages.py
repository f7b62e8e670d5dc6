"""Article pages and hot-spot maps of the Founder families, on markup as the sites write it
(shared/research/epaper-sites.md §2-§4, §9): unquoted attributes, upper-case tags, Founder's
comment blocks, GBK bytes declared GB2312, ``<br>``-separated paragraphs, pictures with
captions inside the text. The markup keeps the sites' long lines."""

# ruff: noqa: E501

from __future__ import annotations

import io

import pytest
from PIL import Image
from scrapy.http import HtmlResponse

from crawler.spiders.families import get_family
from crawler.spiders.families.article_pages import ArticlePageError, split_byline
from crawler.spiders.families.hotspots import image_size, page_map

CLASSIC_GBK = """<html><head><meta http-equiv=Content-Type content="text/html; charset=gb2312">
<title>郑州日报</title></head><body>
<table width=100%><tbody>
<tr><td class=font02 align=center>朱镕基故居修缮一新</td></tr>
<tr><td class=font01 align=center>老城区 新面貌</td></tr>
<tr><td class=font02 align=center>三年改造惠及两万户</td></tr>
</tbody></table>
<div id=ozoom><founder-content><P>　　本报讯（记者 许廷合 通讯员 丁姜岚）6月14日，老城区改造完工。<br>
　　居民陆续回迁。</P>
<table><tr><td><IMG src="../../../images/2022-11/08/04/1.jpg"></td></tr>
<tr><td>回迁的居民。许廷合 摄</td></tr></table>
<P>　　下一步将改造北片。</P></founder-content></div>
<!--enpproperty <founder-date>2022-11-08</founder-date><founder-title>老城区 新面貌</founder-title><founder-author>许廷合</founder-author><founder-type>1</founder-type> /enpproperty-->
</body></html>"""

CLASSIC_COMMENTS_ONLY = """<html><head><meta charset=utf-8></head><body>
<table><tr><td class=font01></td></tr></table>
<div id=ozoom><!--enpcontent--><P>　　第一段。</P><P>　　第二段。</P><!--/enpcontent--></div>
<!--enpproperty <founder-title>只在注释里的标题</founder-title><founder-author>记者 赵文博</founder-author> /enpproperty-->
</body></html>"""

NEW = """<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="PageNumber" content="05"><meta name="reporter" content="中青报·中青网记者 杜佳冰">
</head><body>
<div class="article-box" id="ozoom"><div class="article">
  <h3>冰点特稿第1354期</h3><h1>谁的房子谁的家</h1><h2></h2>
  <p class="sec"><span>中青报·中青网记者 杜佳冰</span><span class="date">来源：中国青年报</span>
     <span class="newstime">（2026年09月16日&nbsp;&nbsp;05版）</span></p>
  <div id="content" class="article-text"><founder-content><!--enpcontent--><p>　　两个儿子为了争夺房产…</p>
  <p><img src="../../../pic/202609/16/a.jpg" data-original-title="老屋的院子。"></p>
  <p>　　这是第二段。</p><!--/enpcontent--></founder-content></div>
</div></div></body></html>"""

COL = """<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>
<body>
<p id="PreTitle">魏都区持续优化营商环境</p><h2 id="Title">企业办事“只进一扇门”</h2>
<p id="SubTitle">今年以来新增市场主体2160户</p>
<div class="detail-art"><div id="ozoom"><founder-content>
<p>　　□本报记者 许廷合 通讯员 谢纪元</p>
<p>　　“以前办一个证，要跑三四个窗口。”</p><p>&nbsp;</p><p>　　今年以来，魏都区……</p>
</founder-content></div></div>
<div class="attachment"><img src="../../../pic/202306/16/b.jpg"><p>工作人员在综合窗口为企业办理业务。许廷合 摄</p></div>
</body></html>"""


def page(url: str, body: str, encoding: str = "utf-8") -> HtmlResponse:
    return HtmlResponse(url=url, body=body.encode(encoding))


def test_classic_article_gbk_font_cells_br_paragraphs_and_picture_caption():
    response = page("http://zz.test/html/2022-11/08/content_1331041.htm", CLASSIC_GBK, "gbk")
    article = get_family("founder_classic").parse_article(response)
    assert article.as_record() == {
        "url": "http://zz.test/html/2022-11/08/content_1331041.htm",
        "kicker": "朱镕基故居修缮一新",  # 镕 is GBK, not GB2312
        "title": "老城区 新面貌",
        "subtitle": "三年改造惠及两万户",
        "byline": "本报讯（记者 许廷合 通讯员 丁姜岚）",
        "paragraphs": ["6月14日，老城区改造完工。", "居民陆续回迁。", "下一步将改造北片。"],
        "captions": ["回迁的居民。许廷合 摄"],
    }


def test_classic_article_text_between_enpcontent_comments_title_from_enpproperty():
    response = page("http://zz.test/html/2022-11/08/content_7.htm?div=-1", CLASSIC_COMMENTS_ONLY)
    article = get_family("founder_classic").parse_article(response)
    assert article.url == "http://zz.test/html/2022-11/08/content_7.htm"
    assert (article.title, article.byline, article.paragraphs) == (
        "只在注释里的标题",
        "记者 赵文博",
        ["第一段。", "第二段。"],
    )


def test_new_article_headings_byline_span_and_image_caption_attribute():
    response = page("http://rm.test/pc/content/202609/16/content_430781.html", NEW)
    article = get_family("founder_new").parse_article(response)
    assert (article.kicker, article.title, article.subtitle, article.byline) == (
        "冰点特稿第1354期",
        "谁的房子谁的家",
        None,
        "中青报·中青网记者 杜佳冰",
    )
    assert article.paragraphs == ["两个儿子为了争夺房产…", "这是第二段。"]
    assert article.captions == ["老屋的院子。"]


def test_col_article_pretitle_title_subtitle_byline_paragraph_attachment():
    response = page("http://xc.test/xcrb/PC/con/202306/16/c120541.html", COL)
    article = get_family("founder_col").parse_article(response)
    assert article.as_record() == {
        "url": "http://xc.test/xcrb/PC/con/202306/16/c120541.html",
        "kicker": "魏都区持续优化营商环境",
        "title": "企业办事“只进一扇门”",
        "subtitle": "今年以来新增市场主体2160户",
        "byline": "□本报记者 许廷合 通讯员 谢纪元",
        "paragraphs": ["“以前办一个证，要跑三四个窗口。”", "今年以来，魏都区……"],
        "captions": ["工作人员在综合窗口为企业办理业务。许廷合 摄"],
    }


def test_garbled_and_empty_article_pages_are_errors():
    family = get_family("founder_col")
    # GBK bytes served as UTF-8: replacement characters everywhere.
    garbled = HtmlResponse(url="http://xc.test/c1.html", body=COL.encode("gbk"), encoding="utf-8")
    with pytest.raises(ArticlePageError, match="garbled"):
        family.parse_article(garbled)
    with pytest.raises(ArticlePageError, match="no title and no text"):
        family.parse_article(page("http://xc.test/c2.html", "<html><body><p></p></body></html>"))


def test_byline_opening_the_text():
    assert split_byline(["□本报记者 赵文博", "正文。"]) == ("□本报记者 赵文博", ["正文。"])
    assert split_byline(["本报讯（记者 李晓东）昨日，正文。"]) == ("本报讯（记者 李晓东）", ["昨日，正文。"])
    # A sentence that mentions a reporter is text.
    assert split_byline(["记者在政务服务中心看到，大厅里设置了窗口。"])[0] is None


CLASSIC_MAP = """<html><body>
<map name=PagePicMap><Area coords="203,28,343,28,343,194,203,194" shape="polygon" href="content_306582.htm?div=-1">
<Area coords="6,97,193,97,193,359,6,359" shape="polygon" href="content_306587.htm?div=-1">
<Area coords="203,204,343,204,343,323,203,323" shape="polygon" href="content_306597.htm?div=0">
<Area coords="203,204,343,204,343,323,203,323" shape="polygon" href="content_306597.htm?div=-1">
<Area coords="10,400,60,420" shape="rect" href="content_306599.htm">
<Area coords="0,0,10,10" shape="rect" href="node_2.htm"></map>
<img src=../../../images/2017-10/13/01/ZGLYB2017101301_b.jpg border=0 USEMAP=#PagePicMap>
</body></html>"""


def test_classic_map_duplicate_div_areas_are_one_article_pixels_as_given():
    family = get_family("founder_classic")
    response = page("http://zz.test/html/2017-10/13/node_2.htm", CLASSIC_MAP)
    found = page_map(response, family.article_link)
    assert found.image_url == "http://zz.test/images/2017-10/13/01/ZGLYB2017101301_b.jpg"
    assert found.image_size is None  # the <img> declares none: the image's own size counts
    assert [(s.url.rsplit("/", 1)[1], s.polygons) for s in found.hotspots] == [
        ("content_306582.htm", [[(203, 28), (343, 28), (343, 194), (203, 194)]]),
        ("content_306587.htm", [[(6, 97), (193, 97), (193, 359), (6, 359)]]),
        ("content_306597.htm", [[(203, 204), (343, 204), (343, 323), (203, 323)]]),
        ("content_306599.htm", [[(10, 400), (60, 400), (60, 420), (10, 420)]]),
    ]


def test_classic_article_pages_named_by_page_and_article_are_followed():
    """衡阳日报's classic site names its article pages content_PAGE_ARTICLE.htm."""
    link = get_family("founder_classic").article_link
    assert link.search("https://epaper.hyqss.cn/html/2022-12/16/content_19621_7108962.htm")
    assert link.search("http://zz.test/html/2017-10/13/content_306582.htm")
    assert not link.search("http://zz.test/html/2017-10/13/node_2.htm")
    assert not link.search("http://zz.test/html/2017-10/13/content_306582_x.htm")


def test_new_map_float_coords_in_the_declared_thumbnail_size():
    response = HtmlResponse(
        url="http://rm.test/rmrb/pc/layout/202412/25/node_01.html",
        body=(
            b'<MAP NAME="PagePicMap"><Area coords="3.72,92.805,194.4,92.805,194.4,323.5525,'
            b'3.72,323.5525,1,200" shape="polygon" href="../../../content/202412/25/'
            b'content_30048054.html"></MAP><img width="400" height="575" '
            b'src="../../../pic/202412/25/0f88.jpg.2" border="0" USEMAP=#PagePicMap>'
        ),
    )
    found = page_map(response, get_family("founder_new").article_link)
    assert found.image_size == (400, 575)
    assert found.hotspots[0].polygons == [
        [(3.72, 92.805), (194.4, 92.805), (194.4, 323.5525), (3.72, 323.5525), (1.0, 200.0)]
    ]


def test_image_size_from_the_first_bytes_of_a_jpeg():
    buffer = io.BytesIO()
    Image.new("L", (600, 849), 255).save(buffer, "JPEG")
    assert image_size(buffer.getvalue()[:2048]) == (600, 849)
    assert image_size(b"<html>not found</html>") is None


@pytest.mark.parametrize("family", ["founder_classic", "founder_new", "founder_col"])
def test_fixture_sites_article_pages_parse_to_what_they_publish(family, tmp_path):
    """Each generated article page gives back exactly the fields the site published; the
    map draws the published articles (and nothing on pages whose map is empty)."""
    from tests.fixture_sites import build_fixture_site

    _, published = build_fixture_site(family, tmp_path)
    adapter = get_family(family)
    checked = 0
    for layout, page_published in published.items():
        layout_page = HtmlResponse(
            url=f"http://site.test/{layout}", body=(tmp_path / layout).read_bytes()
        )
        drawn = page_map(layout_page, adapter.article_link)
        assert [s.url for s in drawn.hotspots] == [
            f"http://site.test{path}" for path, _ in page_published.articles
        ]
        for path, site in page_published.articles:
            if path in page_published.missing:
                assert not (tmp_path / path.lstrip("/")).exists()
                continue
            response = HtmlResponse(
                url=f"http://site.test{path}", body=(tmp_path / path.lstrip("/")).read_bytes()
            )
            if path in page_published.garbled:
                with pytest.raises(ArticlePageError):
                    adapter.parse_article(response)
                continue
            got = adapter.parse_article(response)
            assert (got.kicker, got.title, got.subtitle, got.byline, got.paragraphs) == (
                site.kicker,
                site.title,
                site.subtitle,
                site.byline,
                site.paragraphs,
            )
            assert got.captions == site.captions
            checked += 1
    assert checked >= 4
