"""The loaders' warnings in Chinese, for the app: one row per message kind.

The loaders write their warnings in English (the CLI prints them as they are); the app
shows a counsellor the same facts in Chinese. Each row of :data:`MESSAGES` recognises
one kind of message by a pattern over the English text and rewrites it with the values
it captured (codes, names, counts), so nothing the loader said is lost. A message no
row recognises is shown as written, marked 原文 — a new loader message is never hidden.
File names are shown relative to the data folder they were loaded from.

>>> zh_message("task T4.2 has no work output")
'任務 T4.2 沒有工作產出'
>>> zh_message("knowledge K10 '大語言模型（Large' looks cut short")
'知識 K10「大語言模型（Large」看來被截斷了'
>>> zh_message("something new")
'（原文）something new'
>>> relative_path("/data/corpus/a.json", ["/data/corpus"])
'a.json'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

_WORD = {"knowledge": "知識", "skill": "技能", "attitude": "態度", "industry": "行業別",
         "occupation": "職業別", "category": "職類別", "output": "工作產出",
         "indicator": "行為指標", "performance indicator": "行為指標"}
_PROBLEM = {"looks cut short": "看來被截斷了",
            "holds a fragment of another table cell": "混入了其他表格欄位的文字"}
_Q = r"'(?P<{}>(?:[^'\\]|\\.)*)'|\"(?P<{}_dq>(?:[^\"\\]|\\.)*)\""


def _quoted(name: str) -> str:
    """A pattern for a Python repr()-quoted string captured as ``name``."""
    return "(?:" + _Q.format(name, name) + ")"


@dataclass(frozen=True, slots=True)
class Message:
    """One kind of loader message: its English pattern and its Chinese template."""

    pattern: re.Pattern[str]
    template: str

    def render(self, found: re.Match[str]) -> str:
        values = {k: v for k, v in found.groupdict().items() if v is not None}
        for key in list(values):
            if key.endswith("_dq"):
                values[key[:-3]] = values.pop(key)
        for key in ("kind", "what", "role"):
            if key in values:
                values[key] = _WORD.get(values[key], values[key])
        if "problem" in values:
            values["problem"] = _PROBLEM.get(values["problem"], values["problem"])
        return self.template.format(**values)


def _m(pattern: str, template: str) -> Message:
    text = pattern
    for name in re.findall(r"\{(\w+)!q\}", pattern):
        text = text.replace(f"{{{name}!q}}", _quoted(name))
    return Message(re.compile(text), template)


_PROB = r"(?P<problem>looks cut short|holds a fragment of another table cell)"
_KIND = r"(?P<kind>knowledge|skill|attitude)"

#: Every message kind the loaders write, commonest first.
MESSAGES: tuple[Message, ...] = (
    _m(r"task (?P<task>\S+) has no work output", "任務 {task} 沒有工作產出"),
    _m(r"task (?P<task>\S+) has level (?P<level>\S+), not 1-7; level left unknown",
       "任務 {task} 的職能級別為 {level}，不在 1–7 之間，視為未註明"),
    _m(r"task (?P<task>\S+) has no performance indicator", "任務 {task} 沒有行為指標"),
    _m(r"the attitude list is empty", "態度清單是空的"),
    _m(r"task (?P<task>\S+) name {name!q} " + _PROB, "任務 {task} 的名稱「{name}」{problem}"),
    _m(r"task (?P<task>\S+) is listed under duty (?P<duty>\S+) {name!q}; its code says duty "
       r"(?P<own>\S+), which is missing",
       "任務 {task} 列在職責 {duty}「{name}」之下，但代碼顯示應屬職責 {own}，而該職責不存在"),
    _m(r"task (?P<task>\S+) output {name!q} " + _PROB, "任務 {task} 的工作產出「{name}」{problem}"),
    _m(r"notes lost: items carry marks (?P<marks>.+) but the JSON layout has no notes",
       "項目帶有註記 {marks}，但 JSON 格式沒有保留說明與補充事項"),
    _m(_KIND + r" (?P<code>\S+) {name!q} " + _PROB, "{kind} {code}「{name}」{problem}"),
    _m(r"duty T(?P<n>\d+) is missing \(duties are numbered up to T(?P<top>\d+)\)",
       "缺少職責 T{n}（職責編號到 T{top}）"),
    _m(r"(?P<what>\w+): (?P<names>\d+) names but (?P<codes>\d+) codes; kept them unpaired",
       "{what}：有 {names} 個名稱但有 {codes} 個代碼，未配對保留"),
    _m(r"task name {name!q} " + _PROB, "任務名稱「{name}」{problem}"),
    _m(r"task code (?P<task>\S+) is used twice", "任務代碼 {task} 重複使用"),
    _m(r"duty (?P<duty>\S+) name {name!q} " + _PROB, "職責 {duty} 的名稱「{name}」{problem}"),
    _m(r"empty standard code; using the file name {name!q} as its code",
       "職能基準代碼是空的；以檔名「{name}」作為代碼"),
    _m(r"no duties or tasks: the task table is empty", "沒有任何職責或任務：任務表是空的"),
    _m(r"task (?P<task>\S+) uses (?P<kind>knowledge|skill) (?P<code>\S+), which the standard "
       r"does not define", "任務 {task} 使用了{kind} {code}，但此基準沒有定義它"),
    _m(r"task (?P<task>\S+) uses (?P<code>\S+), which the standard does not define "
       r"\(no name anywhere\)", "任務 {task} 使用了 {code}，但此基準沒有定義它（各處都沒有名稱）"),
    _m(r"occupation {name!q} / {code!q}: names and codes cannot be paired; kept as one entry",
       "職業別「{name}」與代碼「{code}」無法一一配對，保留為一筆"),
    _m(r"the standard has level (?P<level>\S+), not 1-7; level left unknown",
       "基準級別為 {level}，不在 1–7 之間，視為未註明"),
    _m(r"duty (?P<duty>\S+) is named both {a!q} and {b!q}; kept {c!q}",
       "職責 {duty} 有兩個名稱「{a}」與「{b}」；保留「{c}」"),
    _m(r"duplicate standard code (?P<code>\S+): already loaded from (?P<first>.+); this file is "
       r"left out", "職能基準代碼 {code} 重複：已由 {first} 載入，這個檔案未載入"),
    _m(r"versions of (?P<stem>\S+) have different names \((?P<listed>.+)\); one of the codes "
       r"may be wrong", "{stem} 的各版本名稱不同（{listed}），其中一個代碼可能有誤"),
    _m(_KIND + r" {name!q} has no code; left out", "{kind}「{name}」沒有代碼，未載入"),
    _m(_KIND + r" (?P<code>\S+) {name!q} is only digits or punctuation \(a name lost in "
       r"extraction\); left out",
       "{kind} {code}「{name}」只有數字或標點（名稱在擷取時遺失），未載入"),
    _m(r"cannot read the folder: (?P<why>.+)", "無法讀取資料夾：{why}"),
    _m(_KIND + r" code (?P<code>\S+) is listed twice", "{kind}代碼 {code} 重複列出"),
    _m(_KIND + r" code (?P<code>\S+) has two names {a!q} and {b!q}; kept the first",
       "{kind}代碼 {code} 有兩個名稱「{a}」與「{b}」；保留第一個"),
    _m(r"task code {code!q} is not of the form T<duty>\.<n>",
       "任務代碼「{code}」不是 T職責.序號 的形式"),
    _m(r"task (?P<task>\S+): duty cell {cell!q} has no duty code; using (?P<own>\S+)",
       "任務 {task}：職責欄「{cell}」沒有職責代碼，改用 {own}"),
    _m(r"line could not be placed \((?P<section>[^)]*)\): {text!q}",
       "這一行無法歸位（{section}）：「{text}」"),
    _m(r"task table row without a header row before it; read as the table",
       "任務表的資料列前沒有標題列，仍當作任務表讀取"),
    _m(r"(?P<code>\S+) has two names: {a!q} \(line (?P<line>\d+)\) and {b!q}; keeping the first",
       "{code} 有兩個名稱：「{a}」（第 {line} 行）與「{b}」；保留第一個"),
    _m(r"no 職業 name in the basic information; using the title {name!q}.*",
       "基本資料沒有職業名稱；以標題「{name}」代替"),
    _m(r"no 職能基準代碼 row; using {code!q} from the versions table.*",
       "沒有職能基準代碼列；改用版本表中的「{code}」"),
    _m(r"no task table \(主要職責 …\) with any duty", "找不到含職責的任務表（主要職責 …）"),
    _m(r"the text ends inside the task table.*", "文字在任務表中途結束，可能被截斷"),
    _m(r"no attitude section .*", "沒有態度（A）段落"),
    _m(r"the attitude section lists no attitude", "態度段落沒有列出任何態度"),
    _m(r"footnote mark 【(?P<mark>[^】]*)】 has no note under 其他補充說明",
       "註記【{mark}】在其他補充說明中沒有對應的說明"),
    _m(r"version row has (?P<n>\d+) cells, expected 6", "版本表的一列有 {n} 格，應為 6 格"),
    _m(r"second 職能基準代碼 {a!q} ignored; keeping {b!q}",
       "第二個職能基準代碼「{a}」已略過，保留「{b}」"),
    _m(r"基準級別 {value!q} is not a number", "基準級別「{value}」不是數字"),
    _m(r"(?P<what>\S+) row has neither name nor code", "{what} 列既沒有名稱也沒有代碼"),
    _m(r"(?P<what>\S+) {name!q} has no code", "{what}「{name}」沒有代碼"),
    _m(r"attitude (?P<code>\S+) has no name", "態度 {code} 沒有名稱"),
    _m(r"attitude (?P<code>\S+) appears twice", "態度 {code} 出現兩次"),
    _m(r"table header {keys!q} is not the usual one.*", "表格標題「{keys}」與一般格式不同"),
    _m(r"table row has (?P<n>\d+) cells, expected (?P<m>.+)", "表格的一列有 {n} 格，應為 {m} 格"),
    _m(r"duty text {text!q} has no T-code; not placed", "職責文字「{text}」沒有 T 代碼，未歸位"),
    _m(r"duty (?P<duty>\S+) appears twice", "職責 {duty} 出現兩次"),
    _m(r"task text {text!q} has no task to continue; not placed",
       "任務文字「{text}」前面沒有任務可接續，未歸位"),
    _m(r"task (?P<task>\S+) comes before any duty; not placed",
       "任務 {task} 出現在任何職責之前，未歸位"),
    _m(r"task (?P<task>\S+) does not match its duty (?P<duty>\S+)",
       "任務 {task} 與所屬職責 {duty} 不相符"),
    _m(r"task (?P<task>\S+) appears twice", "任務 {task} 出現兩次"),
    _m(r"職能級別 {text!q} is not a number", "職能級別「{text}」不是數字"),
    _m(r"職能級別 (?P<text>\S+) has no task; not placed", "職能級別 {text} 沒有對應的任務，未歸位"),
    _m(r"task (?P<task>\S+) has two levels: (?P<a>\S+) and (?P<b>\S+)",
       "任務 {task} 有兩個職能級別：{a} 與 {b}"),
    _m(r"(?P<role>output|indicator|performance indicator) text {text!q} has no task; not placed",
       "{role}文字「{text}」沒有對應的任務，未歸位"),
    _m(r"(?P<role>output|indicator|performance indicator) text {text!q} of task (?P<task>\S+).*",
       "任務 {task} 的{role}文字「{text}」無法歸位"),
    _m(r"(?P<role>output|indicator|performance indicator) (?P<code>\S+) does not match its task "
       r"(?P<task>\S+)", "{role} {code} 與所屬任務 {task} 不相符"),
    _m(r"duty (?P<duty>\S+) has no task", "職責 {duty} 沒有任務"),
    _m(r"task (?P<task>\S+) has no 職能級別", "任務 {task} 沒有職能級別"),
    _m(r"task (?P<task>\S+) lists (?P<code>\S+) twice", "任務 {task} 重複列出 {code}"),
    # Files that could not be read at all (the reason of a ParseError).
    _m(r"empty file.*", "空白檔案"),
    _m(r"file too large \((?P<n>\d+) bytes; the limit is (?P<limit>\d+)\)",
       "檔案太大（{n} 位元組，上限 {limit}）"),
    _m(r"binary content .*", "二進位內容，不是文字檔"),
    _m(r"NUL bytes.*", "含有 NUL 位元組：二進位檔，或沒有 BOM 的 UTF-16（請另存為 UTF-8）"),
    _m(r"cannot decode byte (?P<byte>\S+): .*",
       "無法解碼位元組 {byte}：不是 UTF-8、UTF-16（含 BOM）或 Big5 文字"),
    _m(r"starts with a (?P<enc>\S+) byte-order mark but is not valid .*",
       "檔案以 {enc} 的 BOM 開頭，內容卻不是有效的 {enc}"),
    _m(r"invalid JSON: (?P<why>.+)", "JSON 格式錯誤：{why}"),
    _m(r"not an iCAP standard \(JSON corpus layout\): (?P<why>.+)",
       "不是 iCAP 職能基準（JSON 語料格式）：{why}"),
    _m(r"not a competency standard .*", "不是職能基準（沒有職能基準代碼，也沒有任務表）"),
    _m(r"cannot read: (?P<why>.+)", "無法讀取：{why}"),
    _m(r"no such file or folder", "沒有這個檔案或資料夾"),
    _m(r"cannot write the cache: (?P<why>.+)", "無法寫入快取：{why}"),
)

Translate = Callable[[str], str]


def zh_message(message: str) -> str:
    """``message`` in Chinese when a row of :data:`MESSAGES` recognises it; else marked 原文."""
    for row in MESSAGES:
        found = row.pattern.fullmatch(message)
        if found is not None:
            return row.render(found)
    return f"（原文）{message}"


def relative_path(path: str, roots: Sequence[str]) -> str:
    """``path`` relative to the data folder it came from (its file name when it is under
    none of ``roots``; the path as given when it is one of them).

    >>> relative_path("/d/x/sub/a.txt", ["/d/y", "/d/x"])
    'sub/a.txt'
    >>> relative_path("/elsewhere/b.json", ["/d/x"]), relative_path("sub/c.txt", ["/d/x"])
    ('b.json', 'sub/c.txt')
    """
    if not Path(path).is_absolute():
        return path  # the loaders already name files relative to their data folder
    target = Path(path)
    for root in roots:
        base = Path(root).absolute()
        if base.is_file() or base.suffix:
            base = base.parent
        try:
            return target.relative_to(base).as_posix()
        except ValueError:
            continue
    return target.name or path


def rewrite_paths(message: str, roots: Sequence[str]) -> str:
    """Absolute or ``../`` file paths inside a message shortened as :func:`relative_path`."""
    return re.sub(r"(?:\.\.?/|/)[^\s;,()]+\.(?:json|txt)",
                  lambda m: relative_path(m.group(), roots), message)


def untranslated(messages: Iterable[str]) -> int:
    """How many of ``messages`` no row recognises (for tests and the data page)."""
    return sum(1 for m in messages if zh_message(m).startswith("（原文）"))
