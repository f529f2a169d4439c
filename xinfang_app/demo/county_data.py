"""The fictional county 清源县: divisions, units and 18 months of petitions.

Pure and deterministic (fixed seeds): the demo command turns these dicts into documents and the pure
tests check them. The county's shape follows docs/DESIGN.md §8 (8 townships, 67 villages, 11 communities,
253 hamlets); the matters follow the categories and proportions reported there.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import NamedTuple

from xinfang_app.domain.categories import leaf_categories
from xinfang_app.domain.idcard import checksum_char

COUNTY_NAME = "清源县"
COUNTY_CODE = "239901"
NEIGHBOUR_REGION_CODES = ("239902", "239903")  # people born in the next counties
DIVISION_SEED = 239901
WINDOW_DAYS = 548
REPEAT_SHARE = 0.08
GROUP_SHARE = 0.05
EARLIER_PETITION_SHARE = 0.02  # petitioned before the window: not first-time, but nothing to link to

# (name, code, villages, communities); 镇 codes are 1xx and 乡 codes 2xx, as in the statistical codes
TOWNSHIPS = (
	("清源镇", "101", 6, ("城东", "城西", "城南", "城北", "中心", "站前", "文化")),
	("河口镇", "102", 9, ("河口", "滨河", "育英")),
	("太平镇", "103", 8, ("太平",)),
	("柳河镇", "104", 9, ()),
	("石门乡", "201", 9, ()),
	("永安乡", "202", 9, ()),
	("双山乡", "203", 8, ()),
	("红星乡", "204", 9, ()),
)
HAMLET_COUNT = 253
TOWNSHIP_WEIGHT = {"清源镇": 1.5, "河口镇": 1.2, "太平镇": 1.0, "柳河镇": 1.0}  # others 0.9
VILLAGE_STEMS = (
	"前进 胜利 红旗 东升 新发 永丰 兴隆 富强 长胜 团结 保安 德胜 民主 光明 建国 太和 丰收 福兴 双河 三合 "
	"四合 五一 六合 七星 八里 九龙 十里 靠山 临河 南岗 北沟 东岭 西泉 柳树 榆树 杨树 松林 桦树 石庙 石桥 "
	"龙泉 凤山 青山 平安 新立 新华 新城 新民 新安 新合 永兴 永和 永胜 永乐 吉祥 合心 联合 和平 兴华 金山 "
	"银河 宝山 朝阳 向阳 红光 东风 长兴"
).split()
HAMLET_SURNAMES = (
	"王李张刘陈杨赵孙周吴徐马朱胡郭何高林于董姜崔宋韩冯曹彭田潘袁蒋蔡杜程苏魏吕丁任沈姚卢钟谭陆范金石贾夏"
	"付白邹孟秦尹薛闫段雷侯史郝邵万严武戴孔汤曲葛关隋牛鞠滕谷宫庞常兰车鲁岳齐柴邢屈单修富乔包佟那祁"
	"聂梁肖邓洪翟黄罗郑谢唐许廖陶黎贺顾毛龚钱汪熊邱江龙向施殷翁纪阎鲍温童符苗甘费穆宁全冷褚荣"
)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭田董袁于姜崔曲谷隋邢鞠"
GIVEN_NAME_CHARS = {  # (gender, born 1985 or later)
	("男", False): "国建军志明福贵德宝春海成立文学树林庆占富金有长永广殿振洪喜双万连景",
	("女", False): "秀凤兰英桂珍玉芳华霞琴云梅艳荣淑丽春香敏",
	("男", True): "磊鹏超帅浩宇博晨阳杰旭涛鑫亮伟强",
	("女", True): "婷雪丽静莹佳欣琳悦娜露颖倩萌",
}
PHONE_PREFIXES = (
	"130 131 132 133 135 137 138 139 150 151 152 155 157 158 159 180 181 183 185 186 187 189".split()
)

CHANNELS = ("来信", "来访", "网上信访", "电话", "12345热线转办", "领导信箱", "走访排查", "上级交办")
CHANNEL_WEIGHTS = (12, 22, 18, 8, 16, 5, 12, 7)
GROUP_CHANNEL_WEIGHTS = (0, 7, 0, 0, 0, 0, 2, 2)
REPEAT_CHANNEL_WEIGHTS = (3, 8, 4, 2, 3, 2, 0, 5)
CHANNEL_VERB = dict(
	zip(
		CHANNELS,
		"来信反映 来访反映 通过网上信访平台反映 来电反映 通过12345政务服务热线反映 通过县长信箱反映 "
		"在{town}走访排查时反映 向市信访局反映，市局交办".split(),
		strict=True,
	)
)
PROPOSAL, REPORT, REQUEST = "建议意见", "检举控告", "申诉求决"
LEVELS = ("Village", "Township", "County")

COUNTY_DEPARTMENTS = (
	"信访局 委政法委 住房和城乡建设局 人力资源和社会保障局 农业农村局 自然资源局 民政局 卫生健康局 教育局 "
	"市场监督管理局 公安局 司法局 应急管理局 乡村振兴局 医疗保障局 林业和草原局 水务局 生态环境局"
).split()
OTHER_COUNTY_UNITS = {
	"信访工作联席会议办公室": "Joint Office",
	"纪委监委": "Discipline Inspection",
	"人民法院": "Court-Procuratorate",
	"人民检察院": "Court-Procuratorate",
	"消防救援大队": "Other",
}

# One row per leaf category: competent county unit | petitions weight (default 1.8) | handling-level weights
# village/township/county (default 0 2 8) | a demand it adds to related petitions | related categories.
# The weights follow the counties' reports: poverty relief, rural disputes and housing lead.
CATEGORY_TABLE = """
贫困户识别|乡村振兴局|12|2 6 2|将其家庭纳入防返贫监测帮扶|危房改造和易地扶贫搬迁 农村低保 产业和就业帮扶
危房改造和易地扶贫搬迁|住房和城乡建设局|12|2 6 2|将其住房纳入危房改造计划|贫困户识别 农村低保
产业和就业帮扶|乡村振兴局||2 6 2|帮助其家庭落实就业帮扶|
农村低保|民政局|8|2 6 2|将其家庭纳入农村低保|临时救助 医疗保险 干部作风
特困供养|民政局||2 6 2||医疗保险
临时救助|民政局||2 6 2|给予临时救助|农村低保 医疗保险
养老保险|人力资源和社会保障局||||
医疗保险|医疗保障局|||协调解决医疗费用报销问题|
土地承包和宅基地|农业农村局|8|6 3 1|依法保障其土地承包经营权|干部作风 邻里纠纷
征地拆迁|自然资源局|5|||土地承包和宅基地
土地确权登记|自然资源局||2 6 2||惠农补贴
涉农纠纷|农业农村局|10|6 3 1||土地承包和宅基地 涉法涉诉
惠农补贴|农业农村局||2 6 2|补发应享受的惠农补贴|
农资质量|农业农村局||||
林权纠纷|林业和草原局||6 3 1||
水利设施|水务局||2 6 2||
物业房产|住房和城乡建设局|8|||
房屋质量|住房和城乡建设局||||
棚户区改造|住房和城乡建设局||||
消费维权|市场监督管理局|5|||
食品药品安全|市场监督管理局||||
市政设施|住房和城乡建设局||2 6 2||
环境污染|生态环境局||||
劳动争议和农民工工资|人力资源和社会保障局|8||督促支付拖欠的务工工资|涉法涉诉
工伤认定|人力资源和社会保障局||||劳动争议和农民工工资
安全生产|应急管理局|2|||
消防隐患|消防救援大队||||
医疗|卫生健康局|4|||医疗保险 涉法涉诉
公共卫生|卫生健康局||||
教育|教育局|3|||
招生入学|教育局||||
涉法涉诉|人民法院|3||为其提供法律援助|
治安管理|公安局||||
干部作风|纪委监委|5||对相关干部的工作作风问题进行调查|
违规违纪|纪委监委||||
婚姻家庭|司法局|3|6 3 1||涉法涉诉
赡养抚养|司法局||6 3 1||涉法涉诉 农村低保
邻里纠纷|司法局|5|6 3 1|由村调委会组织人民调解|涉法涉诉
相邻通行|司法局||6 3 1||邻里纠纷
其他|信访局|3|2 6 2||
"""


class CategoryInfo(NamedTuple):
	unit: str
	weight: float
	level_weights: tuple[int, int, int]
	extra_demand: str
	related: tuple[str, ...]


def _parse_categories(table: str) -> dict[str, CategoryInfo]:
	categories = {}
	for line in table.strip().splitlines():
		category, unit, weight, levels, extra_demand, related = line.split("|")
		level_weights = tuple(int(w) for w in (levels or "0 2 8").split())
		info = CategoryInfo(
			COUNTY_NAME + unit, float(weight or 1.8), level_weights, extra_demand, tuple(related.split())
		)
		categories[category] = info
	if set(categories) != set(leaf_categories()):
		raise ValueError(
			f"CATEGORY_TABLE does not match the category tree: {set(categories) ^ set(leaf_categories())}"
		)
	return categories


CATEGORIES = _parse_categories(CATEGORY_TABLE)
CATEGORY_UNIT = {category: info.unit for category, info in CATEGORIES.items()}
# Wages before the Spring Festival, seeds at sowing, heating in winter, school places in summer, floods.
SEASON = {
	"劳动争议和农民工工资": {12: 3.0, 1: 3.0, 2: 1.8},
	"农资质量": {4: 3.0, 5: 3.0, 6: 1.5},
	"物业房产": {11: 1.6, 12: 1.6, 1: 1.6, 2: 1.3},
	"消防隐患": {11: 1.5, 12: 1.5, 1: 1.5},
	"招生入学": {6: 2.0, 7: 3.0, 8: 3.5},
	"水利设施": {5: 1.8, 6: 2.0, 7: 2.0, 8: 1.8},
}
URBAN_CATEGORIES = frozenset({"物业房产", "房屋质量", "棚户区改造", "消防隐患"})
DEFAULT_AGES = (26, 78)


class Template(NamedTuple):
	"""One kind of matter, with `{…}` fields filled per petition by `_fill`."""

	category: str
	petition_class: str
	subject: str
	facts: str
	demands: tuple[str, ...]
	where: str  # rural: a village or hamlet; urban: a community (or the township seat); any
	group: bool  # can be a group petition; the facts then say {who}
	accused: str | None  # 检举控告: village, township, factory or shop
	gender: str | None
	ages: tuple[int, int]


# Three lines per kind of matter: "category|class|options|subject", the facts, the demands ("|"-separated).
# Options: rural or urban (default anywhere), group, accused=…, gender=女, age=lo-hi.
TEMPLATE_TABLE = """
贫困户识别|申诉求决|rural age=40-80|反映{place}防返贫监测对象识别不准问题
	{when}，其家中{hardship}，家庭收入骤减。其向村里申请纳入防止返贫监测对象，村里以人均纯收入超过监测标准为由未予认定，其认为收入测算有误。
	重新核查其家庭收入并纳入防返贫监测帮扶|公开本村监测对象评议结果
贫困户识别|申诉求决|rural age=40-80|反映{place}脱贫户认定不公问题
	其家中{n}口人，仅靠{mu}亩承包地维持生活，{past}年动态调整时被剔除出脱贫户。同村{other}家有轿车和门市房，却一直享受脱贫户帮扶政策。
	重新评议其家庭的脱贫户认定|核查{other}家享受帮扶政策是否合规
贫困户识别|检举控告|rural accused=village|举报{village}干部在脱贫户认定中优亲厚友问题
	{village}党支部书记{cadre}利用职务便利，将其{kin}等{n}户不符合条件的家庭认定为脱贫户。村里真正困难的{households}户村民多次申请均未获批准，群众意见很大。
	调查{cadre}优亲厚友问题并依纪依规处理|清退不符合条件的脱贫户
危房改造和易地扶贫搬迁|申诉求决|rural|反映{place}危房改造申请未获批准问题
	其居住的土坯房建于上世纪七十年代，墙体开裂、屋顶漏雨，经鉴定为C级危房。{past}年其申请危房改造，至今未被列入改造计划，一家{n}口仍住在危房中。
	将其住房列入危房改造计划|改造前协调安排临时安全住所
危房改造和易地扶贫搬迁|申诉求决|rural|反映{place}危房改造补助资金未足额发放问题
	其家{past}年被列入危房改造户，按标准应享受补助{subsidy}元，实际只拿到{paid}元。其多次到村里询问，村里称余款由施工队代领。
	核实并补发剩余危房改造补助资金|公开本村危房改造补助发放明细
危房改造和易地扶贫搬迁|申诉求决|group|反映{town}易地扶贫搬迁安置房质量问题
	{who}为{past}年易地扶贫搬迁户，分到{town}安置小区{area}平方米住房。入住后发现墙面渗水、暖气不热，多次找施工单位维修无果。
	督促施工单位维修安置房|落实安置房冬季供暖
产业和就业帮扶|申诉求决|rural|反映{place}产业帮扶分红未兑现问题
	{past}年村里以脱贫户产业帮扶资金入股{farm}，约定每户每年分红{money}元。{last}年度分红至今未发放，村里称企业经营困难。
	督促兑现{last}年度产业帮扶分红|公开产业帮扶资金使用情况
产业和就业帮扶|建议意见||建议在{town}就近开展农闲技能培训
	{village}有{workers}多名青壮年冬季农闲在家，缺少外出务工技能。县里的免费技能培训设在县城，往返不便。
	在{town}就近开办电工、焊工等技能培训班|为农村劳动力提供用工信息服务
农村低保|申诉求决|age=45-80|反映{place}低保评定不公问题
	其家中{hardship}，家庭人均收入低于当地低保标准，{when}申请农村低保时村民代表评议未通过。其认为评议过程不公开，部分评议代表与其家有矛盾。
	重新审核其家庭低保申请|公开本村低保评议过程和结果
农村低保|检举控告|rural accused=village|举报{village}村干部亲属违规享受低保问题
	{village}村委会主任{cadre}的{kin}家有{mu}亩耕地和一辆货车，经济条件较好，却长期享受农村低保。村里的低保名单从未张榜公示。
	核查{cadre}亲属违规享受低保问题|清退不符合条件的低保户并追究责任
农村低保|申诉求决|age=50-80|反映{place}低保被取消问题
	其家原为低保户，{when}低保被取消，村里称其儿子在外务工收入超标。实际其儿子打零工收入不稳定，其本人长期患病需要服药。
	恢复其家庭农村低保待遇|说明取消低保的具体依据
特困供养|申诉求决|rural age=64-84|反映{place}特困人员供养申请久拖未批问题
	其无配偶、无子女，年老体弱，已丧失劳动能力。其申请特困人员供养已三个月，至今未获批复。
	尽快审批其特困人员供养申请|协调安排到{town}敬老院集中供养
临时救助|申诉求决||反映{place}村民因病申请临时救助问题
	{when}，其家中{illness}，已花去医疗费{big}，无力支付后续费用。其向{town}申请临时救助，被告知需等待审批。
	尽快给予临时救助|协助申请大病医疗救助
养老保险|申诉求决|age=60-75|反映城乡居民养老保险待遇未按时发放问题
	其于{when}年满60周岁，已缴纳城乡居民养老保险{years}年。至今未领到养老金，经办机构称其缴费记录有断档。
	核实其缴费记录并按时发放养老金|补发应领未领的养老金
养老保险|申诉求决|group age=60-80|反映原国有林场合同工养老保险问题
	{who}于上世纪八十年代在县国有林场做合同工，工作{years}年以上，单位未缴纳养老保险。现已年满60周岁，无法领取职工养老金。
	协调解决原林场合同工养老保险补缴|明确补缴政策和个人负担比例
医疗保险|申诉求决|age=30-70|反映异地就医费用报销比例被降低问题
	其{relation}{when}在省城住院治疗，花费医疗费{big}，因未办理异地就医备案，回县报销时比例被降低。其称住院前电话咨询过经办人员，未被告知需要备案。
	按正常比例报销住院医疗费用|改进异地就医备案告知服务
土地承包和宅基地|申诉求决|rural|反映{place}承包地被他人占种问题
	其家{mu}亩承包地自{past}年起被{other}占种，至今未归还。其持有土地承包经营权证，多次找村里协调无果。
	责令{other}归还承包地|赔偿被占期间的经济损失
土地承包和宅基地|申诉求决|rural|反映{place}宅基地地界纠纷问题
	其与{other}家宅基地相邻，对方翻建房屋时院墙向其一侧多占约{width}米。双方多次争吵，村干部调解未果。
	实地丈量并依据宅基地台账确定地界|拆除越界院墙
土地承包和宅基地|申诉求决|rural|反映{place}二轮承包延包地块调整问题
	村里在第二轮土地承包到期后再延长三十年试点中调整地块，其家原有的{mu}亩好地被调成了低洼地。其认为调整方案未经村民代表大会讨论通过。
	按原地块延包或给予合理调整|公开延包调整方案和表决记录
征地拆迁|申诉求决|rural group|反映{place}征地补偿款未足额发放问题
	{past}年{project}征收{village}集体土地，{who}的承包地被征收。按公告标准应得补偿款{big}，实际到手不足一半，村里称部分款项留作集体提留。
	足额发放征地补偿款|公开征地补偿款分配方案
征地拆迁|申诉求决||反映{town}拟征收厂房未征收造成损失问题
	{last}年{town}人民政府拟征收其承租的食用菌厂房，要求其暂停生产。后征收协议未达成，其已错过食用菌种植季节，损失约{big}。
	对其停产损失评估赔偿|明确厂房是否继续征收
土地确权登记|申诉求决|rural|反映{place}土地确权面积与实际不符问题
	其家承包地确权登记面积为{mu}亩，比实际耕种面积少约{n}亩。其在公示期内提出异议，但一直未予更正。
	重新实地测量并更正确权面积|补发少算面积对应的地力保护补贴
涉农纠纷|申诉求决|rural group|反映{farm}拖欠土地流转费问题
	{past}年{who}将承包地流转给{farm}种植{crop}，约定每亩每年流转费{rent}元。该企业{last}年度流转费至今未付，共拖欠{big}。
	督促{farm}支付拖欠的土地流转费|解除流转合同并恢复土地原状
涉农纠纷|申诉求决|rural|反映{place}农机作业纠纷问题
	{when}，其雇用{other}的收割机收割{crop}，因机器故障造成约{mu}亩{crop}倒伏损失。双方就赔偿数额争执不下。
	协调{other}赔偿粮食损失|由农机部门鉴定事故责任
涉农纠纷|申诉求决|rural group|反映{place}农田被淹补偿问题
	{when}汛期，{project}施工导致排水沟堵塞，{who}的{mu}亩{crop}田被淹减产。施工单位至今未给予补偿。
	评估淹地损失并给予补偿|疏通排水沟防止再次受淹
惠农补贴|检举控告|rural accused=village|举报{village}村干部截留耕地地力保护补贴问题
	{village}报账员{cadre}在发放{last}年耕地地力保护补贴时少报部分村民的补贴面积，差额资金去向不明。信访人家实际耕种{mu}亩，补贴只按{mu2}亩发放。
	查清补贴截留问题并追回资金|严肃处理{cadre}
惠农补贴|申诉求决|rural|反映大豆生产者补贴未到账问题
	其{last}年种植大豆{mu}亩，按政策应享受大豆生产者补贴。同村其他村民均已到账，其一卡通内至今未收到。
	核查其补贴发放情况并予以补发|告知补贴发放标准
农资质量|申诉求决|rural group|反映购买{crop}种子出苗率低问题
	{when}，{who}从{agro_shop}购买{crop}种子，播种后出苗率不足五成。经营者称是天气原因，拒绝赔偿。
	对种子质量进行鉴定|责令经营者赔偿减产损失
林权纠纷|申诉求决|rural|反映{place}林地权属纠纷问题
	其家{past}年承包的{mu}亩荒山已栽植杨树，持有林权证。{when}，{other}称该林地属其家所有，擅自砍伐杨树{trees}棵。
	依法确认林地权属|责令{other}赔偿砍伐损失
水利设施|建议意见|rural group|建议维修{village}灌溉支渠
	{village}灌溉支渠年久失修，渠道淤塞变窄，{who}取水不便。雨季排洪困难，已影响上百亩水田生产。
	将灌溉支渠硬化改造列入项目计划|汛期前组织清淤
水利设施|申诉求决|rural|反映{village}自来水水质浑浊问题
	{village}自来水经常浑浊发黄，烧开后有沉淀。村民多次向供水站反映，问题一直未解决。
	检测水质并更换净化设备|保障村民饮水安全
物业房产|申诉求决|urban group|反映{estate}冬季供暖温度不达标问题
	{who}居住在{village}{estate}，入冬以来室内温度长期只有十二三度。已足额缴纳取暖费，物业公司和供热公司互相推诿。
	督促供热企业达标供热|按规定退还不达标期间的部分取暖费
物业房产|申诉求决|urban|反映{estate}物业服务不到位问题
	{estate}物业公司收取物业费后，小区垃圾清运不及时，单元门禁损坏半年未修。业主要求公开物业费收支，物业公司拒绝。
	督促物业公司整改服务问题|公开物业费收支情况
物业房产|申诉求决|urban group|反映{estate}购房多年未办理不动产权证问题
	{who}于{past}年购买{developer}开发的{estate}住房，已交齐房款。开发商欠缴土地出让金，至今无法办理不动产权证，影响孩子上学落户。
	协调尽快为业主办理不动产权证|督促开发商补缴相关费用
房屋质量|申诉求决|urban|反映{estate}住房墙体开裂漏水问题
	其{last}年购买的{estate}住房交付不到两年，墙体出现多处裂缝，卫生间漏水到楼下。开发商以过了保修期为由拒绝维修。
	组织房屋质量安全鉴定|责令开发商维修
棚户区改造|申诉求决|urban group|反映{town}棚户区改造回迁房延期交付问题
	{past}年{who}所住的老旧房屋纳入棚户区改造，按协议应于两年内回迁。目前工程停工，过渡期租房补贴也已停发{months}个月。
	督促尽快复工并明确回迁时间|补发拖欠的过渡期租房补贴
消费维权|申诉求决||反映在{appliance_store}购买的{item}质量问题
	其{when}在{appliance_store}购买{item}一台，花费{money}元，使用不到三个月即出现故障。商家多次维修未果，拒绝退换。
	责令商家按三包规定退换商品|赔偿其误工损失
消费维权|申诉求决||反映{store}预付卡无法退费问题
	其在{store}办理预付卡充值{money}元，消费不到三次该店即关门停业。店主电话无法接通，多名消费者遭受损失。
	协调经营者退还预付卡余额|依法查处经营者违法行为
食品药品安全|检举控告|accused=shop|举报{shop}销售过期食品问题
	信访人{when}在{shop}购买的牛奶已超过保质期，孩子饮用后出现腹泻。信访人发现该店货架上还有多种过期食品在售。
	查处{shop}销售过期食品行为|责令经营者赔偿医疗费用
市政设施|建议意见||建议在{village}主街增设路灯
	{village}主街长约{km}公里，没有路灯，夜间出行不便。冬季天黑得早，学生放学和老人出行存在安全隐患。
	在主街安装太阳能路灯|定期维护公共照明设施
市政设施|申诉求决||反映{village}主街井盖缺失问题
	{village}主街上的马葫芦盖缺失已有半个多月，仅用树枝遮挡。夜间多次有行人险些跌入。
	尽快补装缺失的马葫芦盖|排查辖区内其他井盖隐患
环境污染|申诉求决|group|反映{factory}噪声和粉尘扰民问题
	{factory}距{who}住处不足二百米，夜间生产噪声很大，粉尘落满院子。多次找企业协商，企业表示会整改但一直没有改善。
	对该企业噪声和粉尘排放进行检测|责令企业整改并限制夜间生产
环境污染|申诉求决|rural|反映{place}养殖场粪污直排问题
	{other}经营的养牛场紧邻村屯，粪污未经处理直接排入路边水沟。夏季臭气熏天、蚊蝇滋生，影响周边{households}户村民生活。
	责令养殖场建设粪污处理设施|清理已排放的粪污
劳动争议和农民工工资|申诉求决|group age=22-58|反映{builder}拖欠农民工工资问题
	{when}，{who}在{builder}承建的{project}工地务工，完工后包工头{other}以未收到工程款为由拖欠工资。被拖欠工资共计{wage}。
	督促{builder}支付拖欠的工资|追究违法分包责任
劳动争议和农民工工资|申诉求决|age=22-55|反映{factory}未签劳动合同并拖欠工资问题
	其在{factory}工作{months}个月，公司一直未与其签订劳动合同。其离职后，公司拒绝结算最后两个月工资{wage}。
	督促公司结清拖欠工资|依法支付未签劳动合同的二倍工资
工伤认定|申诉求决|age=22-56|反映在{factory}务工受伤工伤认定问题
	其{when}在{factory}作业时被机器轧伤左手，住院花费{big}。公司未为其缴纳工伤保险，拒绝承担医疗费用。
	依法认定其工伤|督促公司承担医疗费和停工留薪期工资
安全生产|检举控告|accused=factory|举报{factory}违规储存易燃物品问题
	{factory}在厂区内违规堆放大量易燃物品，工人未经培训即上岗作业。周边居民担心发生事故。
	对该企业开展安全生产检查|依法查处违规行为
安全生产|申诉求决|rural|反映{village}附近河道非法采砂问题
	{when}以来，有人夜间在{village}附近河道采砂，河堤已被掏空多处。汛期将至，河堤随时可能出现险情。
	依法查处非法采砂行为|对受损河堤进行加固
消防隐患|申诉求决|urban|反映{estate}楼道堆物和飞线充电问题
	{estate}多个单元楼道内堆放杂物，还有居民从楼上拉线给电动车充电。其多次向物业反映，物业称无权处理。
	清理楼道杂物|在小区设置电动车集中充电设施
医疗|申诉求决|age=30-70|反映在{hospital}就医发生医疗纠纷问题
	其{relation}{when}在{hospital}做手术，术后出现感染，转院治疗又花费{big}。其认为医院存在诊疗过错，医院不予认可。
	组织医疗损害鉴定|由医院赔偿后续治疗费用
医疗|申诉求决||反映{hospital}住院收费不合理问题
	其{relation}在{hospital}住院{n}周，出院清单中有多项未做的检查和未用的耗材。其向医院提出异议，医院未作解释。
	核查医院收费并退还多收费用|规范医院收费行为
公共卫生|建议意见|rural|建议改善{village}卫生室服务条件
	{village}卫生室只有一名乡村医生，药品种类少，老人开慢病药需到{town}卫生院。村民希望增加巡诊服务。
	为卫生室配齐常用药品|定期安排乡镇卫生院医生下村巡诊
教育|申诉求决|age=30-48|反映{school}违规收取资料费问题
	{school}以补课资料费名义向每名学生收取{fee}元，未开具收据。家长意见较大，但担心孩子受影响不敢公开反映。
	查处学校违规收费行为|退还违规收取的费用
教育|建议意见|rural age=28-50|建议开通{village}至{school}校车
	{village}距{school}约{km}公里，学生上学需要家长接送。冬季路面结冰，接送途中安全隐患较大。
	开通{village}至学校的校车|冬季加强学生上下学安全管理
招生入学|申诉求决|age=27-42|反映孩子报名入学被拒问题
	其孩子今年满六周岁，户籍在{county}。其在县城务工并租房居住，到{school}报名时被告知不在学区范围内。
	协调安排孩子就近入学|公开学区划分和招生政策
涉法涉诉|申诉求决||反映民事判决长期未执行到位问题
	其与{other}民间借贷纠纷一案，{past}年经{county}人民法院判决{other}偿还借款{big}。判决生效后对方一直未履行，执行案件已被终结本次执行程序。
	加大执行力度促使判决履行|调查被执行人是否转移财产
涉法涉诉|申诉求决||对交通事故赔偿案件判决不服问题
	其{relation}{past}年在交通事故中受伤致残，肇事方{other}被判赔偿。其认为赔偿金额过低，申请再审被驳回。
	重新审查该案|协调肇事方给予适当补偿
治安管理|申诉求决||反映电信诈骗报案后未告知立案情况问题
	其{when}接到自称网店客服的电话，被骗转账{money}元。其当天到派出所报案，至今未被告知是否立案。
	尽快依法立案侦查|追回被骗款项
干部作风|检举控告|accused=township|反映{town}工作人员办事推诿问题
	其{when}到{town}便民服务中心办理{affair}，工作人员{cadre}以材料不全为由让其往返{n}次。所需材料事先未一次性告知，且该工作人员态度生硬。
	对{cadre}的工作作风问题进行调查|一次性告知办事所需材料
干部作风|检举控告|rural accused=village|举报{village}村干部吃拿卡要问题
	其办理{affair}需要村里出具证明，{village}村委会主任{cadre}要求其先请客送礼。其拒绝后，{cadre}一直拖着不给出具。
	调查{cadre}吃拿卡要问题|尽快为其出具证明
违规违纪|检举控告|rural accused=village|举报{village}集体机动地发包不公开问题
	{village}{past}年将集体所有的{mu}亩机动地发包，未经村民代表大会讨论，也未公开招标。承包人是党支部书记{cadre}的{kin}，承包费明显低于市场价。
	审计村集体资产发包情况|依纪依规处理相关责任人
婚姻家庭|申诉求决|gender=女 age=24-60|反映遭受家庭暴力请求帮助问题
	其与丈夫{other}结婚{years}年，丈夫酒后经常对其打骂。其曾向村妇联主席求助，丈夫仍不悔改。
	帮助其申请人身安全保护令|为其提供法律援助
婚姻家庭|申诉求决|rural age=28-60|反映离婚后财产分割协议未履行问题
	其与{ex}{other}于{past}年协议离婚，约定住房归其所有、{mu}亩承包地双方各半。对方至今仍占用住房，拒绝搬离。
	协调落实离婚协议约定的财产分割|为其提供法律援助
赡养抚养|申诉求决|gender=女 age=25-45|反映前夫拒付子女抚养费问题
	其与前夫{other}于{past}年协议离婚，约定孩子由其抚养，对方每月给付抚养费{rent}元。对方已连续{months}个月未支付。
	督促对方按协议支付抚养费|为其提供法律援助
赡养抚养|申诉求决|age=68-84|反映子女不履行赡养义务问题
	其今年{age}岁，老伴去世后独居，患有高血压等慢性病。其{kids}个子女互相推诿，都不愿承担赡养费用。
	协调子女履行赡养义务|由村调委会组织家庭调解
邻里纠纷|申诉求决|rural|反映{place}邻居排水纠纷问题
	其与邻居{other}家房屋相邻，对方将院内雨水和生活污水排向其院内。{when}以来双方多次争吵，村里调解未果。
	协调邻居改变排水方向|由村调委会组织调解
邻里纠纷|申诉求决|urban|反映楼上住户漏水纠纷问题
	其居住在{estate}，楼上住户{other}家卫生间漏水，导致其家天棚和墙面受损。对方拒绝维修和赔偿。
	协调楼上住户维修防水|赔偿其房屋损失
相邻通行|申诉求决|rural|反映{place}通行道路被堵问题
	其家进出的唯一道路被{other}砌墙堵住，农用车无法通行。其家{mu}亩地的农机无法进出，影响农时。
	拆除堵路围墙恢复通行|协调双方划定通行道路
其他|建议意见||建议增开{town}至县城客运班次
	目前{town}至县城每天只有{n}班客车，下午三点后没有返程车。村民到县城就医办事很不方便。
	增开{town}至县城客运班次|延后末班车发车时间
其他|申诉求决|rural|反映{village}移动网络信号差问题
	{village}手机信号很弱，在家中经常无法接打电话，网上缴费和孩子上网课都受影响。村民多次向通信公司反映没有结果。
	协调通信运营商增设基站|改善村内网络覆盖
"""


def _parse_templates(table: str) -> tuple[Template, ...]:
	lines = [line.strip() for line in table.strip().splitlines()]
	templates = []
	for head, facts, demands in zip(lines[0::3], lines[1::3], lines[2::3], strict=True):
		category, petition_class, options, subject = head.split("|")
		flags = dict(option.partition("=")[::2] for option in options.split())
		where = "rural" if "rural" in flags else "urban" if "urban" in flags else "any"
		ages = tuple(int(age) for age in flags["age"].split("-")) if "age" in flags else DEFAULT_AGES
		templates.append(
			Template(
				category,
				petition_class,
				subject,
				facts,
				tuple(demands.split("|")),
				where,
				"group" in flags,
				flags.get("accused"),
				flags.get("gender"),
				ages,
			)
		)
	return tuple(templates)


TEMPLATES = _parse_templates(TEMPLATE_TABLE)
TEMPLATES_BY_CATEGORY: dict[str, list[Template]] = {}
for _template in TEMPLATES:
	TEMPLATES_BY_CATEGORY.setdefault(_template.category, []).append(_template)

FILL_CHOICES = {
	key: tuple(values.split())
	for key, values in {
		"hardship": "主要劳动力突发脑梗住院 家人患尿毒症需长期透析 主要劳动力因车祸致残 有人患白血病 房屋遭火灾损毁 种植的玉米遭受涝灾绝收",
		"illness": "主要劳动力突发脑梗住院 家人患尿毒症需长期透析 有人患白血病住院 老人摔伤致股骨骨折",
		"kin": "弟弟 妻弟 侄子 表兄 儿女亲家",
		"crop": "水稻 玉米 大豆",
		"project": "县道改扩建工程 高标准农田建设项目 农村饮水安全工程 光伏电站项目 高速公路连接线工程",
		"item": "冰箱 洗衣机 电动三轮车 燃气热水器 电视机",
		"estate": "幸福家园 阳光小区 锦绣华庭 龙泉花园 滨河丽景 书香苑 翠湖名苑 和谐家园 御景园",
		"affair": "残疾人证 宅基地审批手续 养老保险待遇申领 户口迁移证明 医保报销手续",
		"street": "兴业街 正阳街 新华路 解放路 站前路 建设街",
		"trade": "鑫达 宏盛 恒通 金源 利民 福瑞 兴旺 德润 顺发 华泰 龙腾 远航",
		"industry": "木业 米业 建材 粮食烘干",
		"shop_name": "兴隆 惠民 家家乐 百姓",
		"agro_name": "农丰 金穗 丰收",
		"appliance_name": "顺达 万家 永盛",
		"store_name": "悦美美容会所 动力健身俱乐部 启航教育培训学校",
		"km": "1.5 2 3 4.5 6",
		"width": "0.6 0.8 1.2 1.5",
		"area": "56 62 75 80",
	}.items()
}


def build_divisions() -> list[dict]:
	"""The county's administrative divisions, parents before children; every name is unique."""
	rng = random.Random(DIVISION_SEED)
	village_count = sum(villages for _name, _code, villages, _communities in TOWNSHIPS)
	hamlets_per_village = [2] * village_count
	remaining = HAMLET_COUNT - 2 * village_count
	while remaining:
		index = rng.randrange(village_count)
		if hamlets_per_village[index] < 6:
			hamlets_per_village[index] += 1
			remaining -= 1
	hamlet_names = _hamlet_names(rng, HAMLET_COUNT)

	def row(name, level, code, parent):
		return {"division_name": name, "division_level": level, "division_code": code, "parent": parent}

	rows = [row(COUNTY_NAME, "County", COUNTY_CODE + "000000", None)]
	village_index = 0
	for township, code, villages, communities in TOWNSHIPS:
		prefix = COUNTY_CODE + code
		rows.append(row(township, "Township", prefix + "000", COUNTY_NAME))
		for number, stem in enumerate(communities, start=1):
			rows.append(row(f"{stem}社区", "Community", f"{prefix}{number:03d}", township))
		for number in range(1, villages + 1):
			village = f"{VILLAGE_STEMS[village_index]}村"
			rows.append(row(village, "Village", f"{prefix}{200 + number:03d}", township))
			for _ in range(hamlets_per_village[village_index]):
				rows.append(row(hamlet_names.pop(), "Hamlet", "", village))
			village_index += 1
	return rows


def _hamlet_names(rng: random.Random, needed: int) -> list[str]:
	pool = [f"{surname}家屯" for surname in HAMLET_SURNAMES]
	pool += [f"{surname}家窝棚" for surname in HAMLET_SURNAMES[::4]]
	pool += [f"{surname}家店" for surname in HAMLET_SURNAMES[1::5]]
	pool += [f"{side}{land}屯" for side in "前后东西南北" for land in "岗 沟 甸子 泡子 山 河 洼子".split()]
	pool += [f"{order}{land}屯" for order in "头道 二道 三道 四道".split() for land in "沟岗河"]
	pool += [f"{size}{thing}屯" for size in "大小" for thing in "榆树 柳树 房身 泉眼 黑山 石头 城子".split()]
	pool = list(dict.fromkeys(pool))
	if len(pool) < needed:
		raise ValueError(f"only {len(pool)} hamlet names for {needed} hamlets")
	rng.shuffle(pool)
	return pool[:needed]


def build_units(divisions: list[dict]) -> list[dict]:
	"""County units, one government per township, one committee per village and community."""
	county = next(d["division_name"] for d in divisions if d["division_level"] == "County")
	county_units = {**dict.fromkeys(COUNTY_DEPARTMENTS, "County Department"), **OTHER_COUNTY_UNITS}
	units = [
		{"unit_name": COUNTY_NAME + name, "unit_type": unit_type, "division": county}
		for name, unit_type in county_units.items()
	]
	for division in divisions:
		name, level = division["division_name"], division["division_level"]
		if level == "Township":
			units.append(
				{"unit_name": name + "人民政府", "unit_type": "Township Government", "division": name}
			)
		elif level in ("Village", "Community"):
			suffix = "村民委员会" if level == "Village" else "居民委员会"
			units.append({"unit_name": name + suffix, "unit_type": "Village Committee", "division": name})
	return units


class _Geography:
	def __init__(self, divisions: list[dict], units: list[dict]):
		self.by_name = {d["division_name"]: d for d in divisions}
		self.townships = [d["division_name"] for d in divisions if d["division_level"] == "Township"]
		self.children: dict[str, list[str]] = {}
		for d in divisions:
			if d["parent"]:
				self.children.setdefault(d["parent"], []).append(d["division_name"])
		self.unit_at = {(u["division"], u["unit_type"]): u["unit_name"] for u in units}

	def level(self, name: str) -> str:
		return self.by_name[name]["division_level"]

	def kids(self, name: str, level: str) -> list[str]:
		return [child for child in self.children.get(name, []) if self.level(child) == level]

	def township_of(self, name: str) -> str:
		while self.level(name) != "Township":
			name = self.by_name[name]["parent"]
		return name

	def village_of(self, name: str) -> str:
		"""The village or community a place belongs to (itself, or a hamlet's village)."""
		return self.by_name[name]["parent"] if self.level(name) == "Hamlet" else name


class _People:
	"""Makes persons with unique ID numbers, phones and names."""

	def __init__(self, rng: random.Random):
		self.rng = rng
		self.ids: set[str] = set()
		self.phones: set[str] = set()
		self.names: set[str] = set()
		self.surname_weights = [1 / (rank + 6) for rank in range(len(SURNAMES))]

	def name(self, gender: str, birth_year: int, surname: str | None = None) -> str:
		rng = self.rng
		modern = birth_year >= 1985
		chars = GIVEN_NAME_CHARS[gender, modern]
		for _ in range(50):
			length = 1 if rng.random() < (0.45 if modern else 0.25) else 2
			family = surname or rng.choices(SURNAMES, self.surname_weights)[0]
			name = family + "".join(rng.choices(chars, k=length))
			if name not in self.names:
				self.names.add(name)
				return name
		raise RuntimeError("ran out of names")

	def person(
		self, received: dt.date, ages: tuple[int, int], gender: str | None = None, surname: str | None = None
	) -> dict:
		rng = self.rng
		gender = gender or rng.choice("男女")
		year = max(1940, min(2004, received.year - rng.randint(*ages)))
		birth = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
		region = COUNTY_CODE if rng.random() < 0.9 else rng.choice(NEIGHBOUR_REGION_CODES)
		id_number = ""
		while not id_number or id_number in self.ids:
			sequence = rng.randrange(0, 998, 2) + (1 if gender == "男" else 0)  # odd 17th digit: 男
			first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
			id_number = first17 + checksum_char(first17)
		self.ids.add(id_number)
		phone = ""
		while not phone or phone in self.phones:
			phone = rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
		self.phones.add(phone)
		return {
			"full_name": self.name(gender, year, surname),
			"id_number": id_number,
			"gender": gender,
			"phone": phone,
		}


def _age(id_number: str, on: dt.date) -> int:
	born = dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
	return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _amount(value: int) -> str:
	return f"{value}元" if value < 10000 else f"{value / 10000:.1f}万元".replace(".0万", "万")


def _fill(rng: random.Random, geo: _Geography, location: str, received: dt.date, headcount: int) -> dict:
	"""Every field any template may use, drawn in a fixed order so the random stream stays stable."""
	town = geo.township_of(location)
	is_township = geo.level(location) == "Township"
	fill = {key: rng.choice(values) for key, values in FILL_CHOICES.items()}
	mu = rng.choice((3.5, 5, 6.5, 8, 10, 12, 15, 18, 22, 30))
	subsidy = rng.choice((25000, 30000, 35000))
	earlier = received - dt.timedelta(days=rng.randint(15, 300))
	wage = rng.randrange(60000, 900000, 1000) if headcount >= 5 else rng.randrange(8000, 96000, 100)
	fill.update(
		county=COUNTY_NAME,
		town=town,
		village=town if is_township else geo.village_of(location),
		place=(geo.village_of(location) if geo.level(location) == "Hamlet" else "") + location,
		who="信访人" if headcount < 5 else f"信访人等{headcount}人",
		mu=f"{mu:g}",
		mu2=f"{round(mu * 1.2) / 2:g}",
		when=f"{earlier.year}年{earlier.month}月",
		past=received.year - rng.randint(2, 6),
		last=received.year - 1,
		n=rng.randint(2, 5),
		years=rng.randint(8, 16),
		months=rng.randint(3, 14),
		kids=rng.randint(2, 5),
		trees=rng.randint(20, 90),
		households=rng.randint(6, 40),
		workers=rng.randrange(20, 90, 10),
		rent=rng.randrange(400, 900, 50),
		money=rng.randrange(800, 6000, 50),
		fee=rng.randrange(150, 600, 10),
		subsidy=subsidy,
		paid=subsidy - rng.randrange(5000, 15000, 1000),
		big=_amount(rng.randrange(15000, 300000, 1000)),
		wage=_amount(wage),
		other=rng.choice(SURNAMES) + rng.choice(("某", "某某")),
		builder=f"{COUNTY_NAME}{fill['trade']}建筑工程有限公司",
		farm=f"{COUNTY_NAME}{fill['trade']}农业发展有限公司",
		developer=f"{COUNTY_NAME}{fill['trade']}房地产开发有限公司",
		factory=f"{COUNTY_NAME}{fill['trade']}{fill['industry']}有限公司",
		shop=f"{town}{fill['shop_name']}超市",
		agro_shop=f"{town}{fill['agro_name']}农资商店",
		appliance_store=f"{COUNTY_NAME}{fill['appliance_name']}家电商场",
		store=COUNTY_NAME + fill["store_name"],
		hospital=rng.choice((f"{COUNTY_NAME}人民医院", f"{COUNTY_NAME}中医医院", f"{town}卫生院")),
		school=rng.choice(
			(f"{COUNTY_NAME}第一小学", f"{COUNTY_NAME}实验小学", f"{town}中心小学", f"{town}中学")
		),
	)
	return fill


def generate_petitions(
	divisions: list[dict], units: list[dict], today: dt.date, count: int = 320, seed: int = 20261121
) -> list[dict]:
	"""`count` petitions received in the 548 days up to `today`, oldest first.

	About 8 % come back from an earlier petitioner on the same matter: they carry `repeat_of_index`,
	the list index of the earlier petition, and `is_first_time` False.
	"""
	rng = random.Random(seed)
	geo = _Geography(divisions, units)
	people = _People(rng)
	start = today - dt.timedelta(days=WINDOW_DAYS)
	days = [start + dt.timedelta(days=offset) for offset in range(WINDOW_DAYS + 1)]
	# recent months somewhat denser, weekends quieter
	weights = [
		(1 + 0.6 * i / WINDOW_DAYS) * (0.45 if day.weekday() >= 5 else 1) for i, day in enumerate(days)
	]
	dates = sorted(rng.choices(days, weights=weights, k=count))
	eligible = [i for i, day in enumerate(dates) if (day - dates[0]).days >= 30]
	repeats = set(rng.sample(eligible, min(round(count * REPEAT_SHARE), len(eligible))))
	originals = [i for i in range(count) if i not in repeats]
	groups = set(rng.sample(originals, round(len(originals) * GROUP_SHARE)))
	slots = _township_slots(rng, geo, len(originals))
	petitions: list[dict] = []
	contexts: list[dict] = []
	repeated: set[int] = set()
	unused = set(CATEGORIES)
	keys: set[tuple[str, str, str]] = set()  # the loader finds an existing petition by these three
	for index, received in enumerate(dates):
		petition = None
		earlier = [j for j in range(index) if (received - dates[j]).days >= 30]
		if index in repeats and earlier:
			original = rng.choice([j for j in earlier if j not in repeated] or earlier)
			repeated.add(original)
			petition, context = _repeat(rng, geo, petitions[original], contexts[original], original, received)
		if petition is None or _key(petition) in keys:
			township = slots.pop() if slots else rng.choice(geo.townships)
			group = index in groups
			petition, context = _original(rng, geo, people, township, received, group, unused)
			while _key(petition) in keys:
				petition, context = _original(rng, geo, people, township, received, group, unused)
		keys.add(_key(petition))
		petitions.append(petition)
		contexts.append(context)
	return petitions


def _key(petition: dict) -> tuple[str, str, str]:
	return petition["subject"], petition["received_on"], petition["division"]


def petition_filters(petition: dict) -> dict[str, str]:
	"""How a loader finds a generated petition in the database: the three fields unique per petition."""
	return dict(zip(("subject", "received_on", "division"), _key(petition), strict=True))


def _township_slots(rng: random.Random, geo: _Geography, count: int) -> list[str]:
	"""Townships for `count` petitions in proportion to TOWNSHIP_WEIGHT (largest remainder), shuffled."""
	weights = [TOWNSHIP_WEIGHT.get(name, 0.9) for name in geo.townships]
	shares = [count * weight / sum(weights) for weight in weights]
	quotas = [int(share) for share in shares]
	for i in sorted(range(len(shares)), key=lambda i: quotas[i] - shares[i])[: count - sum(quotas)]:
		quotas[i] += 1
	slots = [name for name, quota in zip(geo.townships, quotas, strict=True) for _ in range(quota)]
	rng.shuffle(slots)
	return slots


def _pick_template(rng: random.Random, month: int, group: bool, urban: bool, unused: set[str]) -> Template:
	"""A category by weight, season and setting (urban categories where there are communities), then a kind."""
	categories = [c for c in CATEGORIES if not group or any(t.group for t in TEMPLATES_BY_CATEGORY[c])]
	if not group and unused and rng.random() < 0.12:
		categories = [c for c in categories if c in unused]  # so that rare categories show up too
	weights = []
	for category in categories:
		weight = CATEGORIES[category].weight * SEASON.get(category, {}).get(month, 1)
		if category in URBAN_CATEGORIES:
			weight *= 2.0 if urban else 0.15
		weights.append(weight)
	category = rng.choices(categories, weights)[0]
	unused.discard(category)
	candidates = [t for t in TEMPLATES_BY_CATEGORY[category] if t.group or not group]
	if not urban:
		candidates = [t for t in candidates if t.where != "urban"] or candidates
	return rng.choice(candidates)


def _original(
	rng, geo: _Geography, people: _People, township: str, received: dt.date, group: bool, unused: set[str]
) -> tuple[dict, dict]:
	"""A new matter in `township`: the petition, and the context a later repeat of it reuses."""
	has_communities = bool(geo.kids(township, "Community"))
	template = _pick_template(rng, received.month, group, has_communities, unused)
	category = template.category
	location = _location(rng, geo, township, template)
	channel = rng.choices(CHANNELS, GROUP_CHANNEL_WEIGHTS if group else CHANNEL_WEIGHTS)[0]
	if group:
		headcount = rng.randint(5, 12) if rng.random() < 0.7 else rng.randint(13, 35)
	elif channel in ("来访", "走访排查"):
		headcount = rng.choices((1, 2, 3), (70, 18, 12))[0]
	else:
		headcount = rng.choices((1, 2), (92, 8))[0]
	with_agent = not group and channel in ("来信", "来访", "网上信访") and rng.random() < 0.06
	fill = _fill(rng, geo, location, received, headcount)
	principal = people.person(received, (66, 84) if with_agent else template.ages, template.gender)
	persons = [_at(rng, geo, principal, location, fill["estate"], "代表" if group else "本人")]
	if with_agent:  # a son or daughter, who carries the father's surname
		surname = principal["full_name"][0] if principal["gender"] == "男" else None
		agent = people.person(received, (30, 50), surname=surname)
		persons.append(_at(rng, geo, agent, location, fill["estate"], "代理人"))
	others = rng.randint(1, 2) if group else (1 if headcount > 1 and rng.random() < 0.3 else 0)
	for _ in range(others):
		persons.append(
			_at(rng, geo, people.person(received, template.ages), location, fill["estate"], "本人")
		)
	headcount = max(headcount, len(persons))
	fill["age"] = _age(principal["id_number"], received)
	fill["ex"] = "前妻" if principal["gender"] == "男" else "前夫"
	spouse = "妻子" if principal["gender"] == "男" else "丈夫"
	fill["relation"] = rng.choice(("父亲", "母亲", spouse) if fill["age"] < 55 else (spouse, "儿子", "女儿"))
	fill["cadre"] = people.name("男" if rng.random() < 0.8 else "女", rng.randint(1960, 1990))
	demands = _demands(rng, template, fill)
	level = _handling_level(rng, template, channel, geo.level(location))
	first_time = rng.random() >= EARLIER_PETITION_SHARE
	if first_time:
		closing = rng.choice(
			("信访人留有联系电话，希望尽快得到答复。", "信访人表示愿意配合调查核实。", "", "")
		)
	else:
		closing = "信访人称此前曾就此事向有关部门反映，问题至今未解决。"
	context = {"template": template, "fill": fill, "location": location}
	petition = {
		"subject": template.subject.format_map(fill),
		"content": _content(geo, context, persons, headcount, channel, received, demands, closing),
		"channel": channel,
		"received_on": received.isoformat(),
		"petition_class": template.petition_class,
		"category": category,
		"demands": demands,
		"division": location,
		"headcount": headcount,
		"petitioners": persons,
		"responsible_unit": _unit(geo, level, category, location),
		"handling_level": level,
		"is_first_time": first_time,
		"repeat_of_index": None,
		**_accused(geo, template, fill, location),
	}
	return petition, context


def _repeat(
	rng, geo: _Geography, original: dict, context: dict, original_index: int, received: dt.date
) -> tuple[dict, dict]:
	"""The same petitioner comes back on the same matter, often one level up."""
	channel = rng.choices(CHANNELS, REPEAT_CHANNEL_WEIGHTS)[0]
	level = original["handling_level"]
	if channel == "上级交办":
		level = "County"
	elif level != "County" and rng.random() < 0.5:
		level = LEVELS[LEVELS.index(level) + 1]
	persons = [dict(person) for person in original["petitioners"]]
	demands = [dict(demand) for demand in original["demands"]]
	first = dt.date.fromisoformat(original["received_on"])
	closing = (
		f"信访人曾于{first.year}年{first.month}月{first.day}日就此事反映，对处理意见不满意，现再次反映。"
	)
	subject = original["subject"]
	subject = ("再次" if subject.startswith(("反映", "举报", "建议")) else "再次反映") + subject
	petition = {
		**original,
		"subject": subject[:60],
		"content": _content(
			geo, context, persons, original["headcount"], channel, received, demands, closing
		),
		"channel": channel,
		"received_on": received.isoformat(),
		"demands": demands,
		"petitioners": persons,
		"responsible_unit": _unit(geo, level, original["category"], context["location"]),
		"handling_level": level,
		"is_first_time": False,
		"repeat_of_index": original_index,
	}
	return petition, context


def _location(rng: random.Random, geo: _Geography, township: str, template: Template) -> str:
	communities = geo.kids(township, "Community")
	if template.where == "urban":
		return rng.choice(communities) if communities else township
	if template.where == "any" and not template.accused:
		if communities and rng.random() < 0.3:
			return rng.choice(communities)
		if rng.random() < 0.05:
			return township
	village = rng.choice(geo.kids(township, "Village"))
	return rng.choice(geo.kids(village, "Hamlet")) if rng.random() < 0.55 else village


def _at(rng: random.Random, geo: _Geography, person: dict, location: str, estate: str, role: str) -> dict:
	"""The person living at the petition's place; a hamlet's people are sometimes filed under its village."""
	level, town = geo.level(location), geo.township_of(location)
	number, division = rng.randint(1, 180), location
	if level == "Hamlet":
		address = f"{COUNTY_NAME}{town}{geo.village_of(location)}{location}{number}号"
		division = location if rng.random() < 0.7 else geo.village_of(location)
	elif level == "Village":
		address = f"{COUNTY_NAME}{town}{location}{number}号"
	elif level == "Community":
		flat = f"{rng.randint(1, 24)}号楼{rng.randint(1, 4)}单元{rng.randint(1, 6)}0{rng.randint(1, 2)}室"
		address = f"{COUNTY_NAME}{town}{location}{estate}{flat}"
	else:
		address = f"{COUNTY_NAME}{town}{rng.choice(FILL_CHOICES['street'])}{number}号"
	return {**person, "address": address, "division": division, "party_role": role}


def _demands(rng: random.Random, template: Template, fill: dict) -> list[dict]:
	"""One to three demands, about 1.3 on average (one county reported 189 demands in 144 petitions)."""
	wanted = rng.choices((1, 2, 3), (70, 25, 5))[0]
	pool = [(text, template.category) for text in template.demands[1:]]
	if template.petition_class == REQUEST:
		related = CATEGORIES[template.category].related
		pool += [(CATEGORIES[c].extra_demand, c) for c in related if CATEGORIES[c].extra_demand]
	chosen = [(template.demands[0], template.category), *rng.sample(pool, min(wanted - 1, len(pool)))]
	return [{"demand": text.format_map(fill), "category": category} for text, category in chosen]


def _handling_level(rng: random.Random, template: Template, channel: str, location_level: str) -> str:
	if template.petition_class == REPORT or channel == "上级交办":
		return "County"
	weights = list(CATEGORIES[template.category].level_weights)
	if location_level == "Township" or channel == "12345热线转办":
		weights[0] = 0
	return rng.choices(LEVELS, weights)[0]


def _unit(geo: _Geography, level: str, category: str, location: str) -> str:
	if level == "County":
		return CATEGORY_UNIT[category]
	if level == "Township":
		return geo.unit_at[geo.township_of(location), "Township Government"]
	return geo.unit_at[geo.village_of(location), "Village Committee"]


def _accused(geo: _Geography, template: Template, fill: dict, location: str) -> dict:
	"""检举控告 only; handled at county level, so never by the unit it accuses."""
	if template.petition_class != REPORT:
		return {"accused_unit": None, "accused_person": None}
	if template.accused == "village":
		unit = geo.unit_at[geo.village_of(location), "Village Committee"]
	elif template.accused == "township":
		unit = geo.unit_at[geo.township_of(location), "Township Government"]
	else:  # an enterprise is no Government Unit: it is named with the person
		role = "法定代表人" if template.accused == "factory" else "经营者"
		return {"accused_unit": None, "accused_person": f"{fill['cadre']}（{fill[template.accused]}{role}）"}
	return {"accused_unit": unit, "accused_person": fill["cadre"]}


def _content(geo, context, persons, headcount, channel, received, demands, closing) -> str:
	"""Who and by which channel, what happened (the template's facts), what they ask, a closing remark."""
	template, fill, location = context["template"], context["fill"], context["location"]
	principal, town = persons[0], geo.township_of(location)
	if geo.level(location) == "Township":
		residence = f"{town}居民"
	else:
		residence = town + fill["place"] + ("居民" if geo.level(location) == "Community" else "村民")
	verb = CHANNEL_VERB[channel].format(town=town)
	if headcount >= 5:
		opening = f"{residence}{principal['full_name']}等{headcount}人{verb}。"
	else:
		age = _age(principal["id_number"], received)
		opening = f"信访人{principal['full_name']}，{principal['gender']}，{age}岁，{residence}"
		for agent in (p for p in persons if p["party_role"] == "代理人"):
			opening += (
				f"，委托其{'儿子' if agent['gender'] == '男' else '女儿'}{agent['full_name']}作为代理人"
			)
		opening += f"，{verb}。"
	texts = [d["demand"] for d in demands]
	if len(texts) == 1:
		ask = f"信访人{'建议' if template.petition_class == PROPOSAL else '请求'}{texts[0]}。"
	else:
		items = "；".join(f"{'一二三'[i]}是{text}" for i, text in enumerate(texts))
		ask = f"信访人提出{'两' if len(texts) == 2 else '三'}项诉求：{items}。"
	return opening + template.facts.format_map(fill) + ask + closing
