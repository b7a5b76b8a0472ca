"""The table of topics and the vocabulary items use, with their labels.

Topic commands differ only by a row of this table; they share one code path.
"""

from __future__ import annotations

from sscard.i18n import N_
from sscard.model import Text


class Topic:
    """One row of the topic table."""

    __slots__ = ("name", "title", "steps", "help", "example")

    def __init__(self, name: str, title: Text, steps: bool, help: str, example: str) -> None:
        self.name = name
        self.title = title
        self.steps = steps  # numbered steps (a procedure) rather than grouped facts
        self.help = help
        self.example = example


TOPICS = {
    t.name: t
    for t in (
        Topic("pin", Text("密码", "PINs"), False,
              N_("The card's PINs: social-security application PIN, information/query PIN and bank PIN."),
              "sscard pin ningbo --bank ccb"),
        Topic("activate", Text("激活", "Activation"), True,
              N_("Activating the social-security and the financial (bank) function."),
              "sscard activate chongqing"),
        Topic("lost", Text("挂失", "Reporting a lost card"), True,
              N_("Reporting a lost card: social side and bank side, temporary and formal."),
              "sscard lost chongqing"),
        Topic("replace", Text("补换卡", "Replacement"), True,
              N_("Replacing a lost or damaged card: where, what to bring, fees, time."),
              "sscard replace neijiang"),
        Topic("apply", Text("申领", "Applying for a card"), True,
              N_("Applying for a first card: where, what to bring, photo, collection."),
              "sscard apply neijiang"),
        Topic("cancel", Text("注销", "Cancelling a card"), True,
              N_("Cancelling (注销) a card: when it is required and how."),
              "sscard cancel neijiang"),
        Topic("contacts", Text("联系方式", "Contacts"), False,
              N_("Offices, hotlines, addresses and websites."),
              "sscard contacts neijiang"),
        Topic("faq", Text("常见问题", "Known problems"), False,
              N_("Known problems and their fixes."),
              "sscard faq ningbo"),
    )
}

PARTS = {
    "social": Text("社保功能", "Social-security function"),
    "query": Text("社保信息查询密码", "Information/query PIN"),
    "online": Text("网上服务登录密码（不是社保卡密码）", "Online-service passwords (not card PINs)"),
    "bank": Text("金融功能（银行账户）", "Financial function (bank account)"),
    "general": Text("通用", "General"),
}

# In the pin topic the parts are the three kinds of PIN.
PIN_PARTS = {
    "social": Text("社保应用密码（就医、购药）", "Social-security application PIN (hospitals, pharmacies)"),
    "query": Text("社保信息查询密码", "Social-security information/query PIN"),
    "bank": Text("银行密码（金融账户）", "Bank PIN (financial account)"),
    "online": Text("网上服务登录密码（如养老金查询网站；不是社保卡密码）",
                   "Online-service passwords (pension-query websites and the like; not card PINs)"),
    "general": Text("概述", "Overview"),
}

ASPECTS = {
    "initial": Text("初始密码", "initial"),
    "change": Text("修改", "change"),
    "lock": Text("锁定", "lock"),
    "unlock": Text("解锁/重置", "unlock/reset"),
    "where": Text("地点", "where"),
    "bring": Text("材料", "bring"),
    "deadline": Text("期限", "deadline"),
    "old-card": Text("旧卡", "old card"),
    "temporary": Text("临时挂失", "temporary report"),
    "formal": Text("正式挂失", "formal report"),
    "validity": Text("有效期", "lasts"),
    "release": Text("解挂", "lift report"),
    "replace": Text("补卡", "replacement"),
    "agent": Text("代办", "agent"),
    "fee": Text("费用", "fee"),
    "time": Text("时限", "time"),
    "damaged": Text("损坏", "damaged"),
    "photo": Text("照片", "photo"),
    "collect": Text("领卡", "collect"),
    "when": Text("情形", "when"),
    "how": Text("办法", "how"),
    "hotline": Text("热线", "hotline"),
    "office": Text("机构", "office"),
    "website": Text("网站", "website"),
    "email": Text("邮箱", "e-mail"),
    "question": Text("问题", "question"),
    "benefit": Text("用途", "use"),
    "note": Text("说明", "note"),
}

LEVEL_LABELS = {
    "nation": Text("全国", "national"),
    "province": Text("省级", "province"),
    "city": Text("市级", "city"),
    "district": Text("区县级", "district"),
}


# Short part names for the key-facts lines, read at a glance.
KEY_PARTS = {
    "pin": {"social": Text("社保密码", "Social PIN"), "query": Text("查询密码", "Query PIN"),
            "bank": Text("银行密码", "Bank PIN"), "general": Text("密码", "PIN")},
    "": {"social": Text("社保", "Social side"), "bank": Text("银行", "Bank side"), "general": Text("", ""),
         "query": Text("查询", "Query"), "online": Text("网上服务", "Online service")},
}


def key_part_label(topic: str, part: str) -> Text:
    return KEY_PARTS.get(topic, KEY_PARTS[""]).get(part) or KEY_PARTS[""][part]


# An online service's first password is a login, never a card's 初始密码.
ONLINE_ASPECTS = {"initial": Text("初始登录密码", "initial login password")}


def aspect_label(topic: str, part: str, aspect: str, lang: str) -> str:
    """The label of an aspect, which for online-service passwords never reads as a card PIN's."""
    if part == "online" and aspect in ONLINE_ASPECTS:
        return ONLINE_ASPECTS[aspect].get(lang)
    return ASPECTS[aspect].get(lang)


def part_label(topic: str, part: str) -> Text:
    """The heading for a part, which in the pin topic names the kind of PIN."""
    return (PIN_PARTS if topic == "pin" else PARTS)[part]
