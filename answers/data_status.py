"""The Data page's questions (数据管理): what the store holds, what an upload would import (its headers,
its preview, its rejects grouped by reason), the import history and what an undo would remove, the
data-quality findings and who reported nothing, and the audit trail. Frames in (or the session's store),
frames and text out in the page's language; no Streamlit. The page's changes of the store (an import,
an undo, a saved mapping) go through here too."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from answers.quality import FINDING_LABELS, Finding, coverage, findings, no_boundary  # noqa: F401 (the page's)
from domain.regions import region_label
from domain.statistics import ACCIDENT_STAT_MEASURES
from i18n import md_text, t
from loaders.messages_zh import to_zh
from loaders.schema import KINDS
from store import ScopeError, Store  # noqa: F401 (ScopeError: the page's)
from store.accounts_queries import audit_frame
from store.duckdb_store import UndoError  # noqa: F401 (the page's)
from store.quality_queries import duplicate_ids_across_files, finding_records, records_in_regions  # noqa: F401

KIND_LABELS = {k: (v.zh, v.en) for k, v in KINDS.items()}
STATUS_TABLES = ("accidents", "hazards", "accident_stats", "hazard_stats")


def kind_label(kind: str, lang: str) -> str:
    zh, en = KIND_LABELS[kind]
    return f"{zh}（{kind}）" if lang == "zh" else f"{en} ({kind})"


def error_text(exc: Exception, lang: str) -> str:
    """A loader error in the page's language (English where no Chinese text was written)."""
    zh = getattr(exc, "zh", None)
    # It quotes the file (a cell, a header, its name): shown as text, on one line, never as Markdown.
    return md_text((zh or str(exc)) if lang == "zh" else str(exc))


def message(text: str, lang: str) -> str:
    """A reject reason, note or skipped row of the loaders in the page's language (plain text: in a table
    as it is, in Markdown through md_text, since it quotes the file's cells)."""
    return to_zh(text) if lang == "zh" else text


# ------------------------------------------------------------------------------------------ overview
def overview(status: dict, lang: str) -> tuple[list[tuple[str, str]], pd.DataFrame]:
    """What the store holds (``Store.status()``): a (label, rows) metric per table, and each table's span
    and regions."""
    labels = [
        t("事故记录", "Accident records", lang),
        t("隐患记录", "Hazard records", lang),
        t("事故统计报表行", "Accident statistics rows", lang),
        t("隐患月报表行", "Hazard report rows", lang),
    ]
    metrics = [(label, f"{status[key]['rows']:,}") for key, label in zip(STATUS_TABLES, labels, strict=True)]
    rows = []
    for key, label in zip(STATUS_TABLES, labels, strict=True):
        info = status[key]
        span = info.get("dates") or info.get("periods")
        rows.append(
            {
                t("数据", "Data", lang): label,
                t("起", "From", lang): span["from"] or "—",
                t("止", "To", lang): span["to"] or "—",
                t("地区数", "Regions", lang): info["regions"],
            }
        )
    return metrics, pd.DataFrame(rows)


# ------------------------------------------------------------------------------------------ upload
def saved_upload(folder: str | Path, name: str, data: bytes) -> Path:
    """An uploaded file on disk in ``folder`` under its own name (the import log records the file name);
    the same content is written once."""
    path = Path(folder) / Path(name).name
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
    return path


def column_choice(kind: str, name: str | None, lang: str) -> str:
    """A column of the schema as the mapping offers it (``*``: required)."""
    if name is None:
        return t("（不导入）", "(not imported)", lang)
    c = KINDS[kind].column(name)
    star = " *" if c.required else ""
    return f"{c.zh} · {c.name}{star}" if lang == "zh" else f"{c.en} · {c.name}{star}"


def header_report(preview: Any, kind: str, lang: str) -> pd.DataFrame:
    """How each header of the file was read: the column it was taken for, why, and how sure."""
    return pd.DataFrame(
        {
            t("文件表头", "File header", lang): [m.header for m in preview.headers],
            t("读作", "Read as", lang): [column_choice(kind, m.column, lang) for m in preview.headers],
            t("依据", "Why", lang): [m.why(lang) for m in preview.headers],
            t("得分", "Score", lang): [f"{m.score:.2f}" if m.column else "" for m in preview.headers],
        }
    )


def preview_head(accepted: pd.DataFrame, kind: str, lang: str, n: int = 20) -> pd.DataFrame:
    """The first ``n`` accepted rows as they would be stored, each column named in the page's language."""
    head = accepted.head(n).copy()
    if kind == "accident-stats":  # a figure not released is unknown: shown as such, not as an empty cell
        for c in ACCIDENT_STAT_MEASURES:
            head[c] = [t("未公布", "not released", lang) if pd.isna(x) else f"{int(x)}" for x in head[c]]
    names = {c.name: (c.zh if lang == "zh" else c.en) for c in KINDS[kind].columns}
    return head.rename(columns=lambda c: f"{names[c]} · {c}" if c in names else c)


def grouped_reasons(rejects: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Rejected rows grouped by the columns at fault: how many, and the first row's reason."""
    if rejects.empty:
        return pd.DataFrame()
    g = rejects.groupby("columns", sort=False)
    out = pd.DataFrame(
        {
            "n": g.size(),
            "example": g["reason"].first().map(lambda m: message(m, lang)),
            "rows": g["row_number"].apply(
                lambda r: ", ".join(str(x) for x in list(r)[:8]) + (" …" if len(r) > 8 else "")
            ),
        }
    ).reset_index()
    out = out.sort_values("n", ascending=False)
    out.columns = [
        t("问题列", "Columns", lang),
        t("行数", "Rows", lang),
        t("示例", "Example", lang),
        t("行号", "Row numbers", lang),
    ]
    return out


def originals(rejects: pd.DataFrame, lang: str, limit: int = 20) -> pd.DataFrame:
    """The first ``limit`` rejected rows: row number, reason, and the file's values as they were."""
    head = rejects.head(limit)
    values = pd.DataFrame([json.loads(o) for o in head["original"]]) if len(head) else pd.DataFrame()
    front = pd.DataFrame(
        {
            t("行号", "Row", lang): head["row_number"].to_numpy(),
            t("原因", "Reason", lang): head["reason"].map(lambda m: message(m, lang)).to_numpy(),
        }
    )
    return pd.concat([front, values.reset_index(drop=True)], axis=1)


def outside(accepted: pd.DataFrame, sees: Any) -> list[str]:
    """The region codes of rows outside the account's region (``sees(code)`` false: an import of them
    would be refused)."""
    codes = accepted["region_code"].dropna().unique() if "region_code" in accepted else []
    return sorted(str(c) for c in codes if not sees(str(c)))


def outside_text(codes: list[str], scope: str, lang: str) -> str:
    names = t("、", ", ", lang).join(region_label(c, lang) for c in codes[:10]) + (" …" if len(codes) > 10 else "")
    return t(
        f"文件中有 {len(codes)} 个地区不在本账号的范围（{region_label(scope, lang)}）内：{names}。"
        "只能导入本辖区的数据，请删去这些行后再上传。",
        f"{len(codes)} region(s) of the file lie outside this account's region "
        f"({region_label(scope, lang)}): {names}. Only the account's own region can be "
        "imported: remove those rows and upload again.",
        lang,
    )


def import_done_text(done: dict, lang: str) -> str:
    """What an import did (``ImportResult.as_json()``), as the page says it afterwards."""
    return t(
        f"已导入 {md_text(done['file'])}：新增 {done['new']:,} 行，更新 {done['updated']:,} 行，未变 {done['unchanged']:,} 行，"
        f"拒收 {done['rejected']:,} 行（导入编号 {done['import_id']}）。各页面已显示新数据。",
        f"Imported {md_text(done['file'])}: {done['new']:,} new, {done['updated']:,} updated, {done['unchanged']:,} "
        f"unchanged, {done['rejected']:,} rejected (import {done['import_id']}). Every page shows the new "
        "numbers.",
        lang,
    )


def mappings(store: Store, kind: str) -> dict[str, dict]:
    """The saved column mappings of ``kind``, by name."""
    return store.mappings(kind)


def save_mapping(store: Store, name: str, kind: str, mapping: dict) -> None:
    store.save_mapping(name, kind, mapping)


# ------------------------------------------------------------------------------------------ history
def imports(store: Store, limit: int = 200) -> pd.DataFrame:
    """The import log, newest first."""
    return store.imports(limit=limit)


def history(imports: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, pd.Series]:
    """The import log as shown, and which imports have been undone."""
    undone = imports["undone_at"].notna() if "undone_at" in imports else pd.Series(False, index=imports.index)
    shown = pd.DataFrame(
        {
            t("导入编号", "Import id", lang): imports["import_id"],
            t("数据类型", "Kind", lang): [kind_label(k, lang) if k in KINDS else k for k in imports["kind"]],
            t("文件", "File", lang): imports["file_name"],
            "sha256": imports["file_sha256"].str[:12],
            t("导入时间", "Imported at", lang): pd.to_datetime(imports["imported_at"]).dt.strftime("%Y-%m-%d %H:%M"),
            t("读取", "Read", lang): imports["rows_read"],
            t("新增", "New", lang): imports["new_rows"],
            t("更新", "Updated", lang): imports["updated_rows"],
            t("拒收", "Rejected", lang): imports["rejected_rows"],
            t("状态", "State", lang): [
                t("已撤销", "undone", lang) if u else t("有效", "in force", lang) for u in undone
            ],
        }
    )
    return shown, undone


def rejects(store: Store, import_id: str) -> pd.DataFrame:
    """The rows an import rejected."""
    return store.rejects(import_id)


def rejects_csv(store: Store, import_id: str, lang: str) -> bytes:
    """An import's rejected rows as the CSV of ``python -m loaders rejects``."""
    from loaders.importer import write_rejects

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "rejects.csv"
        write_rejects(store, out, import_id, lang=lang)
        return out.read_bytes()


def undo_question(row: pd.Series, lang: str) -> str:
    """Markdown: what an undo of the import ``row`` removes (the file, its kind, its rows, its date)."""
    iid = str(row["import_id"])
    kind = kind_label(row["kind"], lang) if row["kind"] in KINDS else row["kind"]
    when = pd.Timestamp(row["imported_at"]).strftime("%Y-%m-%d %H:%M")
    new, updated = int(row["new_rows"]), int(row["updated_rows"])
    return t(
        f"确定撤销导入 **{iid}** 吗？\n\n- 文件：{md_text(row['file_name'])}\n- 数据类型：{kind}\n- 导入时间：{when}\n"
        f"- 将删除该次导入新增的 **{new:,}** 行，并把它更新过的 **{updated:,}** 行恢复为导入前的内容；"
        f"其拒收行一并删除，导入记录保留并标为已撤销。",
        f"Undo import **{iid}**?\n\n- File: {md_text(row['file_name'])}\n- Kind: {kind}\n- Imported at: {when}\n"
        f"- The **{new:,}** rows it added are removed and the **{updated:,}** rows it updated get back their "
        "earlier content; its rejected rows are deleted; the log keeps the import, marked undone.",
        lang,
    )


def undo(store: Store, import_id: str):
    """Undo an import (``Store.undo_import``: UndoError or ScopeError when it may not)."""
    return store.undo_import(import_id)


# ------------------------------------------------------------------------------------------ quality
def duplicates(store: Store, region: str, lang: str) -> pd.DataFrame:
    """Ids a later file supplied again with other content: which file first, which file replaced it."""
    dup = duplicate_ids_across_files(store, region)
    return pd.DataFrame(
        {
            t("数据", "Table", lang): [
                kind_label(x.replace("_", "-"), lang) if x.replace("_", "-") in KINDS else x for x in dup["table_name"]
            ],
            t("编号", "Id", lang): dup["row_id"],
            t("地区", "Region", lang): [region_label(c, lang, full=True) if c else "—" for c in dup["region_code"]],
            t("先由此文件导入", "First supplied by", lang): dup["first_file"],
            t("后被此文件覆盖", "Replaced by", lang): dup["replaced_by_file"],
        }
    )


def month_coverage(store: Store, region: str, last_day: dt.date):
    """Who reported nothing in the month of ``last_day`` (``answers.quality.coverage``)."""
    return coverage(store, region, dt.date(last_day.year, last_day.month, 1), last_day)


# ------------------------------------------------------------------------------------------ audit trail
def audit_trail(
    store: Store, who: str, actions: list[str], days: int, now: dt.datetime, lang: str
) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """The audit trail of the last ``days`` days (of ``who`` and ``actions`` if given): the entries, the
    entries as shown, and the filters in words."""
    from accounts.audit import action_label

    trail = audit_frame(store, actor=who or None, actions=actions, since=now - dt.timedelta(days=int(days)))
    shown = pd.DataFrame(
        {
            t("时间", "Time", lang): pd.to_datetime(trail["at"]).dt.strftime("%Y-%m-%d %H:%M:%S"),
            t("操作人", "Who", lang): trail["actor"],
            t("操作", "Action", lang): [action_label(a, lang) for a in trail["action"]],
            t("对象", "On what", lang): trail["target"].fillna(""),
            t("详情", "Detail", lang): trail["detail"].fillna(""),
            t("来源地址", "From", lang): trail["client"].fillna(""),
            t("结果", "Outcome", lang): trail["outcome"],
        }
    )
    filters = "；".join(
        x
        for x in (
            t(f"最近 {int(days)} 天", f"last {int(days)} days", lang),
            (t("操作：", "actions: ", lang) + t("、", ", ", lang).join(action_label(a, lang) for a in actions))
            if actions
            else "",
            (t("操作人：", "who: ", lang) + who) if who else "",
        )
        if x
    )
    return trail, shown, filters


def audit_file(store: Store, trail: pd.DataFrame, filters: str, lang: str):
    """The audit trail as a download (``accounts.audit.audit_export``), stamped now."""
    from accounts.audit import audit_export

    return audit_export(trail, lang, str(store.path), dt.datetime.now(), filters)


def demo_rows(store: Store) -> int:
    """How many rows of the store came from the demo (0: none, or taken out)."""
    from store.demo_records import demo_rows as rows

    return rows(store)


def remove_demo(store: Store) -> tuple[str, str]:
    """Take the demo records out (the whole country's scope only; ``loaders demo --remove`` does the same):
    (the imports taken out, the audit detail)."""
    from store.demo_records import remove_demo as remove

    removal = remove(store)
    return ", ".join(removal.imports), removal.detail


def demo_notice(rows: int, lang: str) -> str:
    return t(
        f"本库含演示数据 {rows:,} 行（虚构，仅供演示）。导入本单位数据前可删除演示数据：已导入的数据全部保留，删除记入审计日志。",
        f"This store holds {rows:,} rows of demo data (made up, for demonstration). Remove them before importing "
        "your own data: every imported row is kept, and the removal goes into the audit trail.",
        lang,
    )
