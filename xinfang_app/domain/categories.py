"""The default three-level petition category taxonomy (大类 → 中类 → 小类).

Installed once into the Petition Category tree; administrators edit it in the desk afterwards.
Every category the seed reports name is a leaf here (see SEED_CATEGORIES).
"""

from __future__ import annotations

ROOT = "全部信访分类"

DEFAULT_CATEGORY_TREE: dict[str, dict[str, list[str]]] = {
	"乡村振兴与社会保障": {
		"扶贫帮扶": ["贫困户识别", "危房改造和易地扶贫搬迁", "产业和就业帮扶"],
		"社会救助": ["农村低保", "特困供养", "临时救助"],
		"社会保险": ["养老保险", "医疗保险"],
	},
	"农业农村与国土资源": {
		"土地权益": ["土地承包和宅基地", "征地拆迁", "土地确权登记"],
		"农村事务": ["涉农纠纷", "惠农补贴", "农资质量"],
		"林业水利": ["林权纠纷", "水利设施"],
	},
	"城乡建设与市场": {
		"住房物业": ["物业房产", "房屋质量", "棚户区改造"],
		"市场监管": ["消费维权", "食品药品安全"],
		"城乡管理": ["市政设施", "环境污染"],
	},
	"劳动与安全": {
		"劳动保障": ["劳动争议和农民工工资", "工伤认定"],
		"安全监管": ["安全生产", "消防隐患"],
	},
	"卫生健康与教育": {
		"卫生健康": ["医疗", "公共卫生"],
		"教育事业": ["教育", "招生入学"],
	},
	"政法与纪检": {
		"政法事务": ["涉法涉诉", "治安管理"],
		"作风纪律": ["干部作风", "违规违纪"],
	},
	"婚姻家庭与邻里": {
		"家庭关系": ["婚姻家庭", "赡养抚养"],
		"邻里关系": ["邻里纠纷", "相邻通行"],
	},
	"综合": {
		"其他事项": ["其他"],
	},
}

SEED_CATEGORIES = (
	"贫困户识别",
	"危房改造和易地扶贫搬迁",
	"农村低保",
	"干部作风",
	"涉农纠纷",
	"物业房产",
	"消费维权",
	"劳动争议和农民工工资",
	"征地拆迁",
	"土地承包和宅基地",
	"医疗",
	"教育",
	"安全生产",
	"婚姻家庭",
	"邻里纠纷",
	"涉法涉诉",
	"其他",
)


def iter_category_rows():
	"""Yield (name, parent, is_group) in parent-before-child order, root first."""
	yield ROOT, None, True
	for top, middles in DEFAULT_CATEGORY_TREE.items():
		yield top, ROOT, True
		for middle, leaves in middles.items():
			yield middle, top, True
			for leaf in leaves:
				yield leaf, middle, False


def leaf_categories() -> list[str]:
	return [name for name, _parent, is_group in iter_category_rows() if not is_group]
