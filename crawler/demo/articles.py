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
            "记者在政务服务中心看到，大厅里设置了“办不成事”反映窗口和帮办代办"
            "专区，工作人员全程陪同企业办理业务。一家新落户的装备制造企业负责人说，"
            "从项目签约到取得施工许可证只用了23个工作日，“审批快，服务实，"
            "我们在这里投资很放心”。",
            "优化营商环境，既要提速，也要提质。魏都区推行“承诺即开工”“拿地即开工”"
            "等改革，对符合条件的项目实行容缺受理；在全市率先开展涉企检查"
            "“综合查一次”，今年以来涉企检查次数同比下降40%。同时，区里设立"
            "企业诉求“直通车”，通过12345热线、网上平台等渠道收集的诉求，"
            "实行清单化管理、闭环式办理。",
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
            "“我们抓住天气放晴的窗口期，组织帮扶单位和党员干部下沉一线，能帮一把"
            "是一把。”魏都区委组织部相关负责人介绍，抢收期间，全区实行日调度机制，"
            "区委、区政府主要领导每天查看麦收进度，现场研究解决农机调配、道路通行、"
            "粮食收购等问题；各街道科级干部全部下沉到村组，包片包地块，做到哪里有"
            "困难，哪里就有党员的身影。",
            "在田间地头，各社区还设置了爱心助农服务点，为农机手和种粮户免费提供"
            "饮用水、防暑药品和午餐。周庄社区党支部书记王海涛说，社区把两个健身"
            "广场和新建的文化大院全部腾出来用于晾晒，并在微信群里及时发布天气和"
            "场地信息，“群众有需要，我们随叫随到”。",
            "麦收刚结束，夏种又接续展开。记者在高桥营街道看到，播种机紧随收割机"
            "下地作业，玉米、大豆等秋作物种子被整齐地播进墒情适宜的土地里。"
            "区农业农村局负责人表示，将继续加强技术指导和服务保障，确保夏播任务"
            "按期完成，为全年粮食丰收打下坚实基础。",
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
    Article(
        kicker="魏都区34家企业获奖励资金589万元",
        title="创新赋能 激发高质量发展活力",
        byline="□本报记者 许廷合 通讯员 谢纪元",
        paragraphs=[
            "“获评‘高成长型制造业培育企业’，既是对我们多年坚持研发投入的肯定，"
            "也是一种鞭策。”6月13日，河南某新材料有限公司总经理王立新谈起刚刚"
            "捧回的奖牌，语气里满是自豪。这家企业专注于气凝胶隔热材料研发，去年"
            "研发投入占营业收入的比重达到6.8%，新取得发明专利9项。",
            "不久前召开的全市创新驱动制造业高质量发展大会上，魏都区共有34家企业"
            "受到表彰，捧回奖励资金589万元。其中，15家企业获得高质量发展奖励420万元，"
            "19家企业获得科技创新奖励169万元。魏都区同时获评“万人助万企”活动"
            "先进集体。",
            "亮眼成绩的背后，是魏都区持续做优创新生态的努力。2022年，该区新增"
            "高新技术企业11家、入库科技型中小企业132家，新建省级工程技术研究中心"
            "2家，技改投资占工业投资的比重达到68%，5家企业被认定为省级专精特新"
            "中小企业。",
            "“有了好政策，还得有好服务。”魏都区科工局局长陈光辉说，该局建立了"
            "“一企一专员”服务机制，专员定期上门，帮助企业申报项目、对接高校、"
            "引进人才。今年以来，已组织产学研对接活动8场，促成合作项目21个，"
            "帮助企业争取各级科技资金1600余万元。",
            "在许昌一家电力装备企业的生产车间，自动化生产线正在满负荷运转。"
            "企业负责人介绍，去年企业与省内一所高校共建实验室，攻克了高压开关"
            "关键部件的国产化难题，产品成本下降了15%，订单已经排到了年底。",
            "科技创新离不开良好的营商环境。魏都区把优化营商环境作为创新驱动的"
            "“先手棋”，在政务服务中心开设科技企业服务专区，高新技术企业认定、"
            "研发费用加计扣除等事项实现“一次办好”。",
            "人才是创新的第一资源。魏都区出台“魏都英才”计划，对引进的高层次人才"
            "给予安家补贴、子女入学等支持，去年新引进硕士以上学历人才230余名。"
            "一家生物科技企业的研发负责人告诉记者，他从外地回到家乡创业，区里帮忙"
            "协调了实验场地，还在疫情期间开辟绿色通道，保障了关键试剂的运输，"
            "企业的新产品比原计划提前三个月上市。",
            "“下一步，我们将围绕主导产业布局创新链，聚焦搭建一流创新平台、培育"
            "一流创新主体、汇聚一流创新人才，为全区经济高质量发展注入源源不断的"
            "动力。”陈光辉说。",
        ],
        captions=["企业技术人员在实验室检测新材料样品。许廷合 摄"],
    ),
    Article(
        kicker=None,
        title="夜市经济点亮城市烟火气",
        subtitle="魏都区打造特色街区12条，带动就业2800余人",
        byline="□本报记者 马晓雯",
        paragraphs=[
            "华灯初上，位于魏都区的春秋楼历史文化街区人头攒动，烤面筋、胡辣汤、"
            "许昌腐竹等地方小吃飘香，文创摊位前不少年轻人驻足挑选。“每天晚上七点"
            "以后人最多，周末一晚上能卖两千多元。”经营小吃摊的李大姐一边忙着招呼"
            "顾客，一边说。",
            "今年以来，魏都区将发展夜间经济作为提振消费的重要抓手，围绕“夜购、"
            "夜食、夜游、夜娱”等业态，先后打造特色街区12条，引导商户规范经营、"
            "错位发展。城管、市场监管等部门联合设立服务站，在保障秩序的同时，"
            "为商户提供证照办理、食品安全培训等服务。",
            "为了让市民逛得舒心，街区增设临时停车位600余个，延长公交运营时间至"
            "晚上十点半，并在主要路口安排志愿者疏导交通。疫情防控常态化期间，"
            "各街区还设置了扫码点和消毒点，确保消费环境安全有序。",
            "据统计，今年前5个月，魏都区夜间消费额同比增长21.4%，特色街区带动"
            "就业2800余人。区商务局负责人表示，下一步将引入更多首店品牌和非遗"
            "项目，把特色街区打造成展示城市文化的新窗口。",
        ],
        captions=["市民在春秋楼历史文化街区选购小吃。马晓雯 摄"],
    ),
    Article(
        kicker=None,
        title="清潩河畔绿意浓",
        subtitle="——魏都区推进河道综合治理见闻",
        byline="□本报记者 许廷合 通讯员 刘一鸣",
        paragraphs=[
            "初夏时节，漫步清潩河畔，只见河水清澈，垂柳依依，步道上晨练的市民"
            "三三两两，白鹭不时掠过水面。很难想象，几年前这里还是一段杂草丛生、"
            "污水横流的河道。",
            "“以前一到夏天就有异味，谁也不愿意往河边走。现在早晚都来散步，"
            "心情都变好了。”家住附近的退休教师郭建民说。",
            "近年来，魏都区坚持“治水、治岸、治城”一体推进，对辖区河道实施截污"
            "纳管、清淤疏浚、生态修复和景观提升，累计清理淤泥12万立方米，改造"
            "雨污管网46公里，建成滨河绿道18公里。区里还全面落实河长制，区、街道、"
            "社区三级河长定期巡河，发现问题及时交办。",
            "河道治理带来的不只是环境的改善。沿河两岸新建的口袋公园、健身广场、"
            "儿童游乐设施，成为周边居民休闲的好去处；滨河地块的价值随之提升，"
            "吸引了一批文旅、康养项目落户。",
            "“我们将巩固治理成果，建立长效管护机制，让一河清水持续造福群众。”"
            "魏都区水利局负责人说。",
        ],
    ),
    Article(
        kicker="稳就业 惠民生",
        title="家门口的招聘会送来好岗位",
        byline="本报讯（记者 许廷合 通讯员 王一松 张洁）",
        paragraphs=[
            "2月18日，魏都区2023年“春风行动”暨就业援助月专场招聘会在区人力资源"
            "市场举行，86家企业提供就业岗位2300余个，吸引求职者4000余人次进场"
            "求职，初步达成就业意向960人。",
            "招聘会现场设置了企业招聘区、政策咨询区、技能培训报名区和直播带岗区。"
            "发制品、电力装备、现代物流等本地重点企业纷纷亮出“诚意”：月薪"
            "5000元以上的技术岗位占三成，不少企业还提供免费食宿和技能培训。",
            "“我在外地打工好几年，今年想回家找个工作，离家近还能照顾孩子。”"
            "求职者王女士在一家发制品企业的展位前填好了登记表，“工资待遇和外地"
            "差不多，还交五险，挺满意的。”",
            "据了解，今年魏都区将组织各类招聘活动60场以上，持续开展职业技能"
            "培训，全力做好高校毕业生、农民工、退役军人等重点群体就业工作，力争"
            "全年城镇新增就业6500人。",
        ],
    ),
    Article(
        kicker=None,
        title="许昌发制品“织”出国际大市场",
        subtitle="一季度出口额同比增长12.3%",
        byline="□本报记者 赵文博 通讯员 孙海涛",
        paragraphs=[
            "在魏都区一家发制品企业的直播间里，主播正用流利的英语向海外客户介绍"
            "新款假发。屏幕另一端，来自北美、非洲的订单不断跳出。“现在一场直播"
            "能成交三四百单，比过去跑展会效率高多了。”企业负责人说。",
            "许昌是全球重要的发制品生产和出口基地。今年一季度，许昌发制品出口额"
            "同比增长12.3%，其中跨境电商出口占比超过四成。魏都区作为发制品产业"
            "的重要聚集区，现有相关企业600余家，从业人员超过3万人。",
            "为了帮助企业开拓市场，魏都区依托跨境电商综合试验区政策，建设跨境"
            "电商产业园，引进海外仓、物流、支付等服务机构32家，为企业提供一站式"
            "服务；同时联合高校开设跨境电商人才培训班，已累计培训学员1800余人次。",
            "营商环境的持续优化，也让企业发展更有底气。海关、税务等部门开通"
            "出口退税“绿色通道”，平均退税时间压缩到5个工作日以内。一家中型企业"
            "的财务负责人算了一笔账：资金周转快了，企业每年能节省财务费用近百万元。",
            "业内人士表示，随着5G网络、大数据等新技术的应用，发制品产业正在从"
            "“卖产品”向“卖品牌”转变，未来发展空间广阔。",
        ],
        captions=["工人在生产车间整理发制品。孙海涛 摄"],
    ),
    Article(
        kicker=None,
        title="“15分钟健身圈”让群众乐享运动",
        byline="□本报记者 马晓雯 通讯员 陈思远",
        paragraphs=[
            "傍晚时分，魏都区西关街道的社区健身广场上，跳广场舞的、打乒乓球的、"
            "练太极拳的，热闹非凡。“以前锻炼要跑到好几公里外的体育场，现在出门"
            "几分钟就到了。”67岁的居民赵秀兰说。",
            "近年来，魏都区大力推进全民健身设施建设，利用边角地、闲置地建设"
            "口袋体育公园、多功能运动场，累计新建和改造健身场地90余处，配建"
            "健身器材1600余件，城区“15分钟健身圈”基本形成。",
            "场地建起来，活动也要跟上。魏都区组建社会体育指导员队伍，常年开展"
            "健身指导和赛事活动，今年已举办篮球、羽毛球、象棋等群众性赛事28场，"
            "参与群众超过1.5万人次。",
        ],
    ),
    Article(
        kicker="守护城市安全",
        title="消防宣传进社区 安全意识入人心",
        byline="□本报记者 李晓东",
        paragraphs=[
            "“电动车不能进楼道，更不能在家里充电，一旦起火，后果不堪设想。”"
            "6月10日，在魏都区丁庄街道某社区，消防宣传员通过现场演示，向居民"
            "讲解电动车火灾的危险性。",
            "今年以来，魏都区持续开展消防安全宣传“进社区、进企业、进学校、"
            "进家庭”活动，组织消防演练120余场，发放宣传资料3万余份。针对老旧"
            "小区电动车充电难的问题，区里统筹建设集中充电车棚146处，新增充电"
            "端口5000余个，从源头上减少“飞线充电”等安全隐患。",
            "与此同时，消防部门联合街道、社区开展隐患排查整治，重点检查高层"
            "建筑、人员密集场所和“九小场所”，共排查整改火灾隐患1300余处。"
            "区消防救援大队负责人表示，将继续加大宣传和执法力度，切实筑牢城市"
            "安全防线。",
        ],
    ),
    Article(
        kicker=None,
        title="曹魏古城焕发文旅新活力",
        subtitle="端午假期接待游客28.6万人次",
        byline="□本报记者 马晓雯 通讯员 吕晨",
        paragraphs=[
            "端午假期，许昌曹魏古城游人如织。护城河上的龙舟表演引来阵阵喝彩，"
            "古城墙下的非遗市集里，剪纸、面塑、钧瓷等传统技艺吸引了大批游客"
            "驻足体验。",
            "“带孩子来看龙舟，顺便了解三国文化，孩子特别感兴趣。”从郑州自驾"
            "前来的游客刘先生说，古城的夜景很美，准备多住一晚。",
            "据统计，端午假期3天，曹魏古城共接待游客28.6万人次，实现旅游收入"
            "1.2亿元，分别比2019年同期增长35%和41%。古城周边酒店入住率超过90%，"
            "特色餐饮门店排起长队。",
            "近年来，魏都区深入挖掘三国文化资源，推进古城保护与开发，修缮历史"
            "建筑、复原传统街巷，引进文创、演艺、研学等业态，推出“古城夜游”"
            "“汉服巡游”等特色活动，让历史文化“活”起来。",
            "“我们将坚持保护优先、活化利用，把曹魏古城打造成展示许昌历史文化的"
            "金名片。”魏都区文化广电和旅游局负责人表示。",
        ],
        captions=["游客在曹魏古城观看龙舟表演。吕晨 摄"],
    ),
    Article(
        kicker=None,
        title="智慧课堂让学习更有趣",
        byline="□本报记者 李晓东 通讯员 黄静",
        paragraphs=[
            "在魏都区一所小学的科学课上，学生们戴上VR眼镜，“走进”太阳系，近距离"
            "观察行星运行。“比看书本上的图片清楚多了！”五年级学生王子涵兴奋地说。",
            "近年来，魏都区投入资金1.6亿元推进教育信息化建设，全区中小学实现"
            "千兆光纤到校、5G网络覆盖，建成智慧教室420间、创客空间26个。依托"
            "“三个课堂”平台，优质课程资源实现全区共享，薄弱学校的学生也能"
            "同步收看名师授课。",
            "教育信息化也改变了教师的教学方式。借助智慧教学平台，老师可以实时"
            "掌握每个学生的答题情况，有针对性地进行辅导。“课后作业平台会自动"
            "分析错题，我能更快发现学生的薄弱环节。”一名数学教师说。",
            "魏都区教育局负责人表示，下一步将加强教师信息素养培训，推动人工智能"
            "等新技术与教育教学深度融合，让每个孩子都能享有公平而有质量的教育。",
        ],
    ),
    Article(
        kicker=None,
        title="垃圾分类成为居民新时尚",
        byline="□本报记者 赵文博",
        paragraphs=[
            "“厨余垃圾放绿桶，其他垃圾放灰桶，可回收物攒多了拿到兑换点换积分。”"
            "在魏都区五一路街道某小区，居民张阿姨熟练地给记者演示垃圾分类。",
            "魏都区自2021年全面推行生活垃圾分类以来，建成分类投放点1100余个、"
            "再生资源回收站点90个，组建垃圾分类督导志愿者队伍300余支。通过“积分"
            "兑换”“红黑榜”等方式，居民参与率从最初的不足四成提高到85%以上。",
            "前端分得清，后端也要接得住。区城市管理局配备分类运输车辆62辆，"
            "实现“分类投放、分类收集、分类运输、分类处理”全链条闭环管理。目前，"
            "全区生活垃圾回收利用率达到38.6%。",
        ],
    ),
    Article(
        kicker="聚焦乡村振兴",
        title="小小蘑菇撑起致富“大产业”",
        subtitle="魏都区食用菌种植基地年产鲜菇3200吨",
        byline="□本报记者 王一鸣 通讯员 孔令晨",
        paragraphs=[
            "走进魏都区丁庄街道的食用菌种植基地，一排排大棚整齐排列，棚内温度、"
            "湿度由智能系统自动调节，层架上的平菇、香菇长势喜人。工人们正忙着"
            "采摘、分拣、装箱，一派繁忙景象。",
            "基地负责人介绍，基地采用“公司加合作社加农户”的模式，统一提供菌种、"
            "技术和销售渠道，带动周边260余户群众参与种植。今年以来，基地已销售"
            "鲜菇1400吨，产品远销郑州、武汉等地。",
            "“在家门口就能打工，一个月能挣三千多元，还能照顾老人孩子。”正在"
            "分拣香菇的村民李大姐笑着说。",
        ],
        captions=["工人在食用菌种植基地采摘平菇。孔令晨 摄"],
    ),
    Article(
        kicker=None,
        title="社区食堂端出幸福“好滋味”",
        byline="□本报记者 陈思远",
        paragraphs=[
            "中午十一点半，魏都区西关街道的社区食堂里已经坐满了前来就餐的老人。"
            "两荤两素一汤，老人每餐只需花费八元，八十岁以上老人还能享受半价优惠。",
            "“饭菜软烂可口，价格也实惠，比自己在家做饭省心多了。”七十六岁的"
            "王大爷是食堂的常客，他说食堂每周公布菜单，还会征求老人的意见。",
            "据了解，魏都区已建成社区食堂28家，日均服务老年人2300余人次。区民政局"
            "负责人表示，今年将再新建10家，让更多老人吃上“放心饭”“暖心饭”。",
        ],
    ),
    Article(
        kicker=None,
        title="许昌至郑州城际公交开通运营",
        subtitle="全程约90分钟 票价18元",
        byline="□本报记者 刘晓峰 通讯员 韩雨",
        paragraphs=[
            "6月12日上午，许昌至郑州城际公交首班车从许昌东站发车，标志着两地"
            "公共交通实现无缝衔接。",
            "该线路全长约92公里，沿途设站6个，首末班时间分别为早6时和晚8时，"
            "高峰期发车间隔30分钟。车辆全部采用新能源客车，支持扫码乘车和"
            "交通联合卡刷卡。",
            "“以前去郑州要先坐车到高铁站，现在家门口就能坐公交直达，方便多了。”"
            "首班车上，在郑州上班的许昌市民张先生说。",
        ],
        captions=["许昌至郑州城际公交首班车发车。韩雨 摄"],
    ),
    Article(
        kicker="书香许昌",
        title="城市书房成了市民“第二书房”",
        byline="□本报记者 孟佳",
        paragraphs=[
            "晚上九点，位于魏都区春秋广场旁的城市书房依然灯火通明。书架前，"
            "读者静静挑选图书；阅读区里，学生们正埋头学习。",
            "城市书房实行24小时开放，读者刷身份证即可进入，图书与市图书馆"
            "通借通还。目前，全市已建成城市书房46家，藏书超过30万册，今年以来"
            "接待读者120余万人次。",
            "“下班后来这里看看书，心里特别踏实。”在附近上班的刘女士说，书房"
            "还经常举办读书分享会、亲子阅读等活动，成了她每周必来的地方。",
        ],
    ),
    Article(
        kicker=None,
        title="魏都区开展“百企千岗”招聘月活动",
        byline="□本报记者 杜鹏 通讯员 冯婷婷",
        paragraphs=[
            "6月以来，魏都区人社局组织开展“百企千岗”招聘月活动，通过线上直播"
            "带岗、线下专场招聘等形式，帮助高校毕业生和困难群体实现就业。",
            "活动期间，共组织112家企业提供岗位2600余个，涵盖装备制造、电子信息、"
            "商贸物流等行业，截至目前已有580余人达成就业意向。",
            "区人社局负责人介绍，下一步将建立求职者和企业需求“两张清单”，"
            "开展精准匹配，让岗位找到人、让人找到岗位。",
        ],
    ),
    Article(
        kicker=None,
        title="“口袋公园”扮靓城市角落",
        subtitle="今年新建改造游园17个",
        byline="□本报记者 宋雅琪",
        paragraphs=[
            "昔日的闲置空地，如今变成了绿树成荫、花香四溢的小游园。在魏都区"
            "南关街道，一座新建成的“口袋公园”吸引了不少居民前来散步休闲。",
            "魏都区坚持“见缝插绿、拆违建绿”，利用边角地、闲置地建设“口袋公园”，"
            "配套健身器材、休闲座椅和儿童游乐设施。今年计划新建改造游园17个，"
            "目前已完工9个。",
            "“出门就是公园，傍晚带着孙子来玩，特别舒服。”家住附近的赵奶奶说。",
        ],
        captions=["居民在新建成的“口袋公园”休闲。宋雅琪 摄"],
    ),
    Article(
        kicker="法治进行时",
        title="法律服务进网格 矛盾纠纷就地解",
        byline="□本报记者 黄磊 通讯员 周文静",
        paragraphs=[
            "“多亏了网格法律顾问，邻里之间的纠纷才这么快解决。”近日，魏都区"
            "东大街道的居民老周说。他与邻居因房屋漏水产生矛盾，网格员联系法律"
            "顾问上门调解，双方很快达成一致。",
            "今年以来，魏都区推行“一网格一法律顾问”制度，组织62名律师、"
            "法律工作者下沉到全区网格，开展法律咨询、纠纷调解、普法宣传等服务，"
            "累计化解矛盾纠纷410余起。",
            "区司法局负责人表示，将进一步完善基层法律服务体系，把矛盾纠纷"
            "化解在萌芽状态。",
        ],
    ),
    Article(
        kicker=None,
        title="非遗钧瓷走进校园",
        byline="□本报记者 常宁",
        paragraphs=[
            "拉坯、修坯、施釉……近日，在魏都区一所小学的钧瓷体验课上，孩子们"
            "在非遗传承人的指导下，有模有样地制作起钧瓷作品。",
            "“泥巴在手里转起来，慢慢变成一个小碗，太神奇了！”四年级学生"
            "小宇兴奋地说。",
            "据介绍，魏都区已在12所中小学开设非遗特色课程，邀请钧瓷、剪纸、"
            "面塑等项目的传承人走进课堂，让孩子们近距离感受传统文化的魅力。",
        ],
        captions=["非遗传承人指导学生制作钧瓷。常宁 摄"],
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
    Article(
        kicker=None,
        title="疫苗接种服务进企业",
        paragraphs=[
            "为方便企业职工接种疫苗，魏都区卫健委组织医疗队深入12家重点企业设立"
            "临时接种点，累计服务职工3100余人次，助力疫情防控和生产经营两不误。"
            "（魏宣）"
        ],
        kind="brief",
    ),
    Article(
        kicker=None,
        title="5G网络应用大赛启动",
        paragraphs=[
            "6月12日，魏都区首届5G网络应用创新大赛启动，面向工业互联网、智慧医疗、"
            "智慧教育等领域征集应用项目，优秀项目将获得最高50万元扶持。（魏科）"
        ],
        kind="brief",
    ),
    Article(
        kicker=None,
        title="法律明白人培训班开班",
        paragraphs=[
            "近日，魏都区举办“法律明白人”培训班，围绕民法典、矛盾纠纷调解等内容"
            "对来自各社区的150名学员进行培训。（魏司）"
        ],
        kind="brief",
    ),
    Article(
        kicker=None,
        title="城市书房新增5家",
        paragraphs=[
            "日前，魏都区又有5家城市书房对外开放，全区城市书房达到23家，每家"
            "藏书均在5000册以上，市民刷身份证即可免费借阅。（魏文）"
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
    Article(
        kicker=None,
        title="Street Railway Extension to Be Completed by Autumn",
        byline="From Our Own Reporter",
        paragraphs=[
            "Officials of the street railway company announced yesterday that the "
            "extension of the line along Market Street to the fairgrounds will be "
            "completed before the opening of the autumn exhibition, notwithstanding the "
            "difficulties occasioned by the unusually wet spring.",
            "Construction gangs numbering upward of two hundred men are at present "
            "employed upon the roadbed, and the superintendent expressed every confidence "
            "that the new cars, built after the most up-to-date pattern, will be running "
            "on regular schedule by the first week of September. The fare will remain "
            "five cents, with transfers to the cross-town line.",
            "Merchants along the route have petitioned the company for the establishment "
            "of additional stopping places, representing that the convenience of their "
            "customers, particularly of those residing in the outlying neighborhoods, "
            "would be materially advanced by the arrangement.",
        ],
        lang="en",
    ),
    Article(
        kicker="SCHOOL BOARD",
        title="Enrollment Exceeds All Previous Records",
        subtitle="Superintendent Urges Immediate Construction of Two New Buildings",
        byline="By Our Education Correspondent",
        paragraphs=[
            "The enrollment in the public schools of the city for the present term has "
            "exceeded all previous records, according to the annual report submitted to "
            "the board of education by Superintendent Whitcomb on Monday evening. The "
            "total attendance reached 11,482 pupils, an increase of more than nine per "
            "cent over the preceding year.",
            "In several of the ward schools the classrooms are so seriously overcrowded "
            "that the afternoon sessions have been divided, and in one instance a "
            "neighboring church basement has been temporarily rented for the accommodation "
            "of the primary grades. The superintendent characterized the situation as "
            "intolerable and recommended the immediate construction of two new buildings.",
            "The report further commended the teachers for their self-sacrificing devotion "
            "during the epidemic of last winter, when the attendance at certain schools "
            "fell to less than one-half of the normal number, and the instruction of the "
            "absent pupils was continued by correspondence.",
        ],
        lang="en",
    ),
    Article(
        kicker=None,
        title="Aeroplane Flights Thrill Great Crowd",
        byline="Staff Report",
        paragraphs=[
            "Fully fifteen thousand persons assembled at the driving park yesterday "
            "afternoon to witness the exhibition flights of the celebrated aviator, "
            "Mr. Lincoln Beachey, whose performances have attracted extraordinary "
            "attention throughout the country.",
            "The machine rose gracefully from the field shortly after four o'clock and "
            "ascended to an altitude which competent observers estimated at twelve hundred "
            "feet. After circling the grounds several times, the aviator executed a "
            "succession of spectacular dips and spirals, landing within a few yards of the "
            "grandstand amid tremendous applause.",
            "A second flight, undertaken toward evening in the face of a stiff westerly "
            "breeze, was somewhat shortened on account of the weather, but the spectators "
            "departed thoroughly satisfied that they had witnessed one of the most "
            "remarkable achievements of the age.",
        ],
        captions=["The aviator's machine rising above the grandstand at the driving park."],
        lang="en",
    ),
    Article(
        kicker=None,
        title="Merchants' Association Elects Officers",
        paragraphs=[
            "At the annual meeting of the Merchants' Association, held in the parlors of "
            "the Commercial Hotel on Tuesday evening, Mr. George W. Halloran was elected "
            "president for the ensuing year. Other officers chosen were Mr. Edward "
            "Lindqvist, vice-president, and Mr. Thomas Reardon, secretary-treasurer.",
            "The association adopted resolutions favoring the improvement of the county "
            "roads and the establishment of a free delivery service in the residential "
            "districts. A committee was appointed to confer with the officials of the "
            "interurban line concerning the freight schedule between this city and the "
            "state capital, which has long been regarded as unsatisfactory.",
        ],
        lang="en",
    ),
]
