"""A bank of original sample articles in the style of a Chinese regional daily (许昌日报)
and of a historic English newspaper, used by the demo edition and the test pages.

All text is written for this project. Several articles mention 营商环境, 疫情, 5G网络 and
魏都区, which the search tests look for.
"""

from __future__ import annotations

from crawler.demo.typesetter import Article

ZH_STORIES: list[Article] = [
    Article(
        kicker="魏都区持续优化营商环境",
        title="企业办事“只进一扇门” 审批时限压缩过半",
        subtitle="今年以来新增市场主体2160户，同比增长18.6%",
        byline="□本报记者 许廷合 通讯员 谢纪元",
        paragraphs=[
            "“以前办一个食品经营许可证，要跑三四个窗口，现在在一个窗口就能办结，"
            "前后不到两天。”6月14日，在魏都区政务服务中心，刚刚领到证照的个体经营者"
            "刘女士高兴地说。",
            "今年以来，魏都区把优化营商环境作为“一把手”工程，围绕企业和群众办事的"
            "难点堵点，推行“一窗受理、集成服务”改革，将市场监管、税务、人社等12个部门"
            "的187项事项纳入综合窗口，实现“前台综合受理、后台分类审批、统一窗口出件”。"
            "截至5月底，全区政务服务事项网上可办率达到98.5%，平均审批时限压缩52%。",
            "营商环境好不好，企业最有发言权。为了让政策直达市场主体，魏都区建立"
            "“企业服务日”制度，每月第一个周三由区领导带队走访企业，现场收集问题、"
            "现场交办、限时反馈。今年以来，已累计帮助企业解决用工、融资、用地等问题"
            "136个，办结率96.3%。",
            "“下一步，我们将对标先进地区，持续深化‘放管服’改革，推动更多事项"
            "‘一网通办’‘跨省通办’，让企业和群众办事像网购一样方便。”魏都区政务服务"
            "和大数据管理局负责人表示。",
        ],
        captions=["工作人员在综合窗口为企业办理业务。许廷合 摄"],
    ),
    Article(
        kicker=None,
        title="魏都区：党群齐心抢农时 颗粒归仓保丰收",
        byline="□本报记者 许廷合 通讯员 蒋之恒",
        paragraphs=[
            "6月8日清晨，魏都区高桥营街道的麦田里，十余台联合收割机来回穿梭，金黄的"
            "麦浪一片片倒下，饱满的麦粒被装进运粮车。“今年麦子长得好，就怕下雨。"
            "多亏党员服务队帮忙联系农机，三天就收完了。”种粮大户张建华一边查看麦粒，"
            "一边笑着说。",
            "麦收时节，天气多变。魏都区提前谋划，组建党员先锋服务队46支，开展"
            "“抢收、抢晒、抢种”行动，对辖区1.2万亩小麦实行“一地一策”，统筹调度"
            "收割机、烘干机等农机具230余台，确保应收尽收、颗粒归仓。",
            "为避免粮食受潮发霉，各街道腾出社区广场、学校操场等场地用于晾晒，"
            "区农业农村局协调3台烘干设备免费为群众服务，并安排农技人员分片包干，"
            "指导群众科学储粮。据统计，截至6月10日，全区小麦机收率达到99%，"
            "夏播面积已完成八成以上。",
        ],
        captions=["收割机在魏都区高桥营街道的麦田里作业。许廷合 摄"],
    ),
    Article(
        kicker=None,
        title="许昌数字经济孵化基地签约落户",
        subtitle="——项目达产后预计年销售收入5亿元",
        byline="本报讯（记者 许廷合 通讯员 丁姜岚）",
        paragraphs=[
            "11月20日上午，许昌数字经济孵化基地项目签约仪式在魏都区举行。根据协议，"
            "双方将合作建设集直播培训、项目孵化、供应链服务于一体的综合性基地，带动"
            "本地传统商贸企业转型升级。",
            "据介绍，基地建成后将覆盖周边半径100公里的区域，为中小企业提供“培育、"
            "孵化、服务、众创”等全链条服务。项目全部投入运营后，预计年销售收入5亿元，"
            "实现税收约1000万元，带动就业3000余人。",
            "魏都区相关负责人表示，将以优质服务推动项目早日落地见效，持续优化营商"
            "环境，为数字经济发展注入新动能。",
        ],
    ),
    Article(
        kicker="精准防控守护群众健康",
        title="筑牢疫情防控“社区防线”",
        byline="□本报记者 李晓东 通讯员 王一松 张洁",
        paragraphs=[
            "连日来，魏都区各社区持续做好疫情防控常态化工作，网格员逐户走访登记，"
            "志愿者在小区出入口引导居民扫码测温，社区卫生服务站为老年人提供上门"
            "接种服务，一张覆盖全域的防控网越织越密。",
            "“我们把辖区划分为28个网格，每个网格配备网格长、网格员和楼栋长，"
            "做到底数清、情况明。”西大街街道相关负责人介绍，街道还建立了居民健康"
            "台账，对独居老人、慢性病患者等重点人群实行“一人一档”，定期电话随访。",
            "在做好疫情防控的同时，魏都区统筹推进复工复产，为重点企业派驻防疫"
            "联络员，帮助企业制定防控预案，落实员工健康监测，确保生产经营不停、"
            "防控措施不松。目前，全区规模以上工业企业复工率达到100%。",
            "“疫情防控没有旁观者。”一位参与值守的社区党员说，大家齐心协力，"
            "就一定能守护好共同的家园。",
        ],
    ),
    Article(
        kicker=None,
        title="5G网络实现城区全覆盖",
        subtitle="魏都区累计建成5G基站1260个",
        byline="□本报记者 赵文博",
        paragraphs=[
            "记者6月15日从魏都区科工局获悉，截至目前，该区已累计建成5G基站1260个，"
            "城区5G网络实现连续覆盖，重点商圈、交通枢纽、产业园区等场所实现深度覆盖，"
            "5G用户数突破42万户。",
            "依托5G网络，魏都区加快推进数字化转型。在许昌发制品产业园，一家企业"
            "建起5G智能车间，设备联网率达到95%，生产效率提升30%以上；在区人民医院，"
            "5G远程会诊系统让患者在家门口就能享受省级专家的诊疗服务。",
            "“我们将继续推动5G网络与工业制造、智慧城市、医疗教育等领域深度融合，"
            "培育一批5G应用示范场景。”魏都区科工局负责人说，今年全区计划新建5G基站"
            "300个，力争年底前实现重点区域千兆光网全覆盖。",
        ],
        captions=["技术人员在调试5G基站设备。赵文博 摄"],
    ),
    Article(
        kicker=None,
        title="老旧小区改造让居民住得更舒心",
        byline="□本报记者 许廷合 通讯员 周晓阳",
        paragraphs=[
            "“现在楼道亮了，路面平了，还新装了电动车充电桩，住在这里越来越舒心。”"
            "11月21日，在魏都区颍昌街道庞庄社区，居民周国亭指着焕然一新的小区说。",
            "庞庄社区建成于上世纪九十年代，管网老化、道路破损、停车难等问题一直"
            "困扰着居民。今年，魏都区将该社区纳入老旧小区改造计划，通过召开居民"
            "议事会、入户征求意见等方式，梳理出改造需求23项，实行“居民点单、"
            "社区派单、部门接单”。",
            "改造过程中，社区党支部牵头成立监督小组，邀请居民代表全程参与质量"
            "监督。目前，小区雨污分流、道路硬化、路灯更换等工程已全部完工，新增"
            "停车位86个、休闲座椅40套。",
            "据了解，今年魏都区共实施老旧小区改造项目31个，惠及居民8600余户，"
            "截至10月底已完成投资2.3亿元。",
        ],
    ),
]

ZH_BRIEFS: list[Article] = [
    Article(
        kicker="一周要闻",
        title="魏都区开展安全生产大检查",
        paragraphs=[
            "近日，魏都区组织应急、消防、市场监管等部门，对辖区商场、餐饮场所、"
            "建筑工地开展安全生产联合检查，共排查隐患57处，已整改52处，其余限期"
            "整改。（魏宣）"
        ],
        kind="brief",
    ),
    Article(
        kicker=None,
        title="“三夏”农机服务队出征",
        paragraphs=[
            "6月2日，魏都区“三夏”农机服务队出征仪式举行。全区投入各类农机具230余台，"
            "确保小麦适时收获、颗粒归仓。（魏宣）"
        ],
        kind="brief",
    ),
    Article(
        kicker=None,
        title="营商环境观察员聘任仪式举行",
        paragraphs=[
            "6月9日，魏都区为20名企业家、人大代表颁发营商环境观察员聘书，请他们"
            "对政务服务“挑毛病、提建议”。（魏宣）"
        ],
        kind="brief",
    ),
    Article(
        kicker=None,
        title="社区食堂让老人吃上热乎饭",
        paragraphs=[
            "日前，魏都区新建的8家社区长者食堂投入运营，为60岁以上老人提供每餐"
            "优惠10%至30%的助餐服务。（魏宣）"
        ],
        kind="brief",
    ),
]

EN_STORIES: list[Article] = [
    Article(
        kicker="CITY COUNCIL MEETS",
        title="New Waterworks Approved After Long Debate",
        subtitle="Aldermen Vote Seven to Three for the Well-Known Engineer's Plan",
        byline="By a Staff Correspondent",
        paragraphs=[
            "After a session lasting well into the small hours of the morning, the city "
            "council last night approved the construction of a new waterworks on the "
            "northern bank of the river, bringing to an end a controversy which has "
            "occupied the municipal government for the better part of two years.",
            "The well-known engineer, Mr. Herbert Calloway, whose recommendations formed "
            "the basis of the ordinance, addressed the aldermen at considerable length. "
            "He declared that the present reservoir was entirely insufficient for a "
            "population which had nearly doubled since its construction, and that the "
            "intermittent interruptions of the supply during the summer months were a "
            "positive menace to the public health of the community.",
            "The opposition, led by Alderman Pritchard of the Fourth Ward, contended that "
            "the estimated expenditure of $737,000 was extravagant, and that the "
            "interests of the taxpayers demanded a thorough reconsideration of the "
            "so-called emergency. The vote, when finally taken, stood 7–3 in favor of "
            "the ordinance.",
        ],
        lang="en",
    ),
    Article(
        kicker=None,
        title="Remarkable Harvest Reported Throughout the County",
        byline="Special to the Ledger",
        paragraphs=[
            "Farmers in every township of the county report an extraordinary yield of "
            "winter wheat, the threshing machines having been kept continuously "
            "occupied since the beginning of the month. Experienced agriculturists "
            "declare the crop to be the most abundant within living memory.",
            "At the grain elevators along the railroad the accumulation of wheat awaiting "
            "shipment has become a matter of considerable inconvenience, and the "
            "superintendent of the division has telegraphed for additional cars. Prices "
            "at the local market remained comparatively steady throughout the week.",
        ],
        captions=["Threshing crews at work on the Anderson farm, north of the city."],
        lang="en",
    ),
]
