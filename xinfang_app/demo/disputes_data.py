"""The demo county's dispute work (docs/DESIGN.md §8): mediation committees, two mediators per hamlet, a dispute
ledger in the tier proportions 38/29/14, mediation cases and joint meetings. Pure and deterministic."""

from __future__ import annotations

import datetime as dt
import random

from xinfang_app.domain import states
from xinfang_app.domain.ledger import add_months

TIER_COUNTS = {
	"一级": 38,
	"二级": 29,
	"三级": 14,
}  # the county's reported ledger: 一级38件、二级29件、三级14件
RESOLUTION_PATH = {"一级": "主管部门或属地牵头", "二级": "联办协调", "三级": "专家律师研判"}
PROFESSIONAL_COMMITTEES = (
	"医疗纠纷",
	"消费纠纷",
	"安全生产纠纷",
	"教育纠纷",
	"劳动争议",
	"物业纠纷",
	"交通事故",
)
HOUSING_BUREAU = "清源县住房和城乡建设局"
MEDIATORS_PER_HAMLET = 2
DEMO_CASES = 3  # 每个自然屯配备2名调解员 (docs/DESIGN.md §8)
OBSERVATION_MONTHS = 6
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
GIVEN = "国庆建华秀兰桂芝玉梅志刚永强海燕春生德福淑珍长林凤英明亮金山红霞文斌丽娟振东"
# (dispute type = a leaf Petition Category, summary template)
DISPUTES = (
	("邻里纠纷", "{a}与{b}因院墙翻建占用过道发生争执，双方多次争吵"),
	("相邻通行", "{a}在自家地头修建围栏，阻断{b}等三户通往承包地的道路"),
	("婚姻家庭", "{a}与{b}夫妻感情不和，因子女抚养和财产分割产生矛盾"),
	("赡养抚养", "{a}兄妹之间因老人赡养费用分担问题产生纠纷，{b}拒绝承担"),
	("土地承包和宅基地", "{a}与{b}因宅基地界址不清发生争议，涉及约二十平方米"),
	("涉农纠纷", "{a}流转给{b}的承包地流转费用两年未支付"),
	("劳动争议和农民工工资", "{a}等五名农民工被包工头{b}拖欠工资约三万元"),
	("林权纠纷", "{a}与{b}因林地四至界线不清，采伐时发生冲突"),
	("物业房产", "{a}所在小区物业与业主{b}等因物业费和停车管理产生矛盾"),
	("医疗", "{a}家属对镇卫生院诊疗结果不满，与院方{b}协商未果"),
)
AGREEMENTS = (
	"双方同意按原界址恢复，{b}于十日内拆除多占部分，{a}不再追究。",
	"{b}同意分两期支付所欠款项，{a}放弃利息主张。",
	"双方自愿和解，互相赔礼道歉，今后和睦相处。",
)


def generate_disputes(
	divisions: list[dict], petitions: list[dict], stories: list[list], today: dt.date, seed: int = 20261123
) -> dict:
	"""Committees, mediators, ledger entries with their stories, mediation cases and joint meetings.

	Names of ledger parties and mediators never repeat a petitioner's name, so that the closing rule
	(no later petition by a party) is decided by the data the demo means, not by a chance namesake.
	"""
	rng = random.Random(seed)
	by_name = {d["division_name"]: d for d in divisions}
	county = next(d["division_name"] for d in divisions if d["division_level"] == "County")
	townships = [d["division_name"] for d in divisions if d["division_level"] == "Township"]
	villages = [d["division_name"] for d in divisions if d["division_level"] in ("Village", "Community")]
	hamlets = [d["division_name"] for d in divisions if d["division_level"] == "Hamlet"]
	taken = {person["full_name"] for petition in petitions for person in petition["petitioners"]}
	names = _Names(rng, taken)

	committees = [
		{"committee_name": f"{v}人民调解委员会", "committee_type": "村级人民调解委员会", "division": v}
		for v in villages
	]
	committees += [
		{"committee_name": f"{t}人民调解委员会", "committee_type": "乡镇人民调解委员会", "division": t}
		for t in townships
	]
	committees += [
		{"committee_name": f"{county}{kind}人民调解委员会", "committee_type": kind, "division": county}
		for kind in PROFESSIONAL_COMMITTEES
	]
	mediators = []
	for place in hamlets + [v for v in villages if by_name[v]["division_level"] == "Community"]:
		village = by_name[place]["parent"] if by_name[place]["division_level"] == "Hamlet" else place
		for _ in range(MEDIATORS_PER_HAMLET):
			mediators.append(
				_mediator(rng, names, f"{village}人民调解委员会", place, "邻里纠纷、婚姻家庭、土地纠纷")
			)
	for kind in PROFESSIONAL_COMMITTEES:
		for _ in range(2):
			mediators.append(_mediator(rng, names, f"{county}{kind}人民调解委员会", county, kind))

	# The demo's mediator login (demo loader: first village of the first township) is this village's first
	# mediator, and its first three ledger entries are there with a case each, so the login has cases.
	demo_village = next(
		v
		for v in villages
		if by_name[v]["parent"] == townships[0] and by_name[v]["division_level"] == "Village"
	)
	demo_mediator = next(
		i for i, m in enumerate(mediators) if m["committee"] == f"{demo_village}人民调解委员会"
	)
	mediators[demo_mediator]["demo_login"] = True
	entries = _ledger(rng, names, villages, hamlets, by_name, today, demo_village)
	cases = _cases(rng, entries, mediators, by_name, demo_mediator)
	meetings = _meetings(rng, petitions, stories, townships, by_name, today)
	return {
		"committees": committees,
		"mediators": mediators,
		"entries": entries,
		"cases": cases,
		"meetings": meetings,
	}


class _Names:
	def __init__(self, rng: random.Random, taken: set[str]):
		self.rng, self.taken = rng, set(taken)

	def person(self) -> str:
		while True:
			name = self.rng.choice(SURNAMES) + "".join(self.rng.sample(GIVEN, self.rng.choice((1, 2))))
			if name not in self.taken:
				self.taken.add(name)
				return name


def _mediator(rng, names, committee, division, specialties) -> dict:
	return {
		"full_name": names.person(),
		"committee": committee,
		"division": division,
		"specialties": specialties,
		"phone": f"13{rng.randint(100000000, 999999999)}",
		"active": 1,
	}


def _ledger(rng, names, villages, hamlets, by_name, today, demo_village) -> list[dict]:
	tiers = [tier for tier, count in TIER_COUNTS.items() for _ in range(count)]
	rng.shuffle(tiers)
	entries = []
	for number, tier in enumerate(tiers):
		place = demo_village if number < DEMO_CASES else rng.choice(villages + hamlets)
		village = by_name[place]["parent"] if by_name[place]["division_level"] == "Hamlet" else place
		township = by_name[village]["parent"]
		found = today - dt.timedelta(days=rng.randint(3, 330))
		kind, template = rng.choice(DISPUTES)
		a, b = names.person(), names.person()
		entry = {
			"division": place,
			"found_on": found,
			"dispute_type": kind,
			"parties": [a, b],
			"summary": template.format(a=a, b=b),
			"tier": tier,
			"responsible_unit": f"{township}人民政府",
			"resolution_path": RESOLUTION_PATH[tier],
			"reported_by": names.person(),
			"status": "未化解",
			"resolved_on": None,
			"close": False,
		}
		age = (today - found).days
		chance = rng.random()
		if age > 20 and chance < 0.55:
			resolved = found + dt.timedelta(days=rng.randint(5, min(age - 1, 60)))
			entry.update(status="已化解观察期", resolved_on=resolved)
			entry["close"] = add_months(resolved, OBSERVATION_MONTHS) <= today and rng.random() < 0.8
		elif age > 7 and chance < 0.85:
			entry["status"] = "化解中"
		entries.append(entry)
	return entries


def _cases(rng, entries, mediators, by_name, demo_mediator) -> list[dict]:
	"""A mediation case for about a quarter of the ledger: in progress, agreed or failed and referred."""
	by_village: dict[str, list[int]] = {}
	for index, mediator in enumerate(mediators):
		by_village.setdefault(mediator["committee"], []).append(index)
	cases = []
	for index, entry in enumerate(entries):
		if index >= DEMO_CASES and (entry["tier"] == "三级" or rng.random() > 0.3):
			continue
		place = entry["division"]
		village = by_name[place]["parent"] if by_name[place]["division_level"] == "Hamlet" else place
		pool = by_village.get(f"{village}人民调解委员会", [])
		if not pool:
			continue
		accepted = entry["found_on"] + dt.timedelta(days=rng.randint(1, 4))
		sessions = [accepted + dt.timedelta(days=3 * n + rng.randint(1, 3)) for n in range(rng.randint(1, 3))]
		case = {
			"entry": index,
			"committee": f"{village}人民调解委员会",
			"accepted_on": accepted,
			"mediators": [demo_mediator]
			if index < DEMO_CASES
			else rng.sample(pool, min(len(pool), rng.choice((1, 2)))),
			"sessions": sessions,
			"result": "",
		}
		if entry["status"] == "已化解观察期":
			a, b = entry["parties"]
			case.update(
				result="调解成功",
				agreement_date=sessions[-1],
				agreement_text=rng.choice(AGREEMENTS).format(a=a, b=b),
				performance_method="协议签订后十日内履行完毕，由村调解委员会监督",
				performance=rng.choice(("已履行", "已履行", "部分履行")),
			)
		elif entry["status"] == "化解中" and rng.random() < 0.3:
			case.update(result="调解不成", referral=rng.choice(("诉讼", "仲裁")))
		cases.append(case)
	return cases


def _meetings(rng, petitions, stories, townships, by_name, today) -> list[dict]:
	"""Two township joint meetings and one county meeting on petitions still in hand."""
	open_states = {states.HANDLING, states.EXTENDED, states.ASSIGNED}
	in_hand = [i for i, story in enumerate(stories) if story and story[-1].state in open_states]
	meetings = []
	for level, place in (("Township", townships[0]), ("Township", townships[1]), ("County", None)):
		# A township meeting hands decisions to the township government; the county one to the housing bureau.
		unit = f"{place}人民政府" if place else HOUSING_BUREAU
		pool = [
			i
			for i in in_hand
			if (
				township_of(by_name, petitions[i]["division"]) == place
				if place
				else petitions[i]["responsible_unit"] == HOUSING_BUREAU
			)
		]
		chosen = rng.sample(pool, min(len(pool), 3))
		if not chosen:
			continue
		held = today - dt.timedelta(days=rng.randint(3, 15))
		meetings.append(
			{
				"level": level,
				"township": place,
				"meeting_date": held,
				"agenda": [
					{
						"petition": i,
						"assigned_unit": unit,
						"decision": rng.choice(
							(
								"由责任单位牵头，会同属地乡镇十日内入户核实，形成书面处理意见",
								"召开听证会听取各方意见，依法依规提出化解方案",
								"落实包案领导，一周内约见信访人面对面沟通",
							)
						),
						"due_date": held + dt.timedelta(days=rng.randint(15, 30)),
					}
					for i in chosen
				],
			}
		)
	return meetings


def township_of(by_name: dict[str, dict], place: str) -> str | None:
	while place and by_name[place]["division_level"] != "Township":
		place = by_name[place]["parent"]
	return place
