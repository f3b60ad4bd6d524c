"""Data management (数据管理): what the store holds; upload a file (sheet → header → column mapping →
preview → validation → commit, the same import as ``python -m loaders import``); the import history
with each import's rejects and an undo (confirmed first); the data-quality panel; for administrators the
audit trail. The store is the session's, scoped to the account's region: a data officer imports and
undoes inside it only. Imports, undos, saved mappings and downloads go into the audit trail."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from accounts import may
from accounts import service as access
from domain.industries import industry_label
from domain.regions import region_label
from domain.statistics import ACCIDENT_STAT_MEASURES
from exports.downloads import safe_csv_frame
from i18n import md_text
from loaders.messages_zh import to_zh
from loaders.readers import ReadError
from loaders.schema import KINDS
from store import ScopeError, Store
from webapp.session import audited, client_address, current_account
from webapp.state import clear_caches, current_view, db_key, t

view = current_view()
lang = view.lang
account = current_account()
store = Store.of(db_key())  # scoped to the account's region: imports and undos outside it are refused
st.title(t("数据管理", "Data management", lang))


def _audit(action: str, target: str | None, detail: str | None = None, outcome: str = "ok") -> None:
    access.audit(store, account.username, action, target, detail, client_address(), outcome)

KIND_LABELS = {k: (v.zh, v.en) for k, v in KINDS.items()}


def _kind_label(kind: str) -> str:
    zh, en = KIND_LABELS[kind]
    return f"{zh}（{kind}）" if lang == "zh" else f"{en} ({kind})"


def _error_text(exc: Exception) -> str:
    """A loader error in the page's language (English where no Chinese text was written)."""
    zh = getattr(exc, "zh", None)
    # It quotes the file (a cell, a header, its name): shown as text, on one line, never as Markdown.
    return md_text((zh or str(exc)) if lang == "zh" else str(exc))


def _message(text: str) -> str:
    """A reject reason, note or skipped row of the loaders in the page's language (plain text: in a table
    as it is, in Markdown through md_text, since it quotes the file's cells)."""
    return to_zh(text) if lang == "zh" else text


@st.cache_data(ttl=60, show_spinner=False)
def _status(db: str) -> dict:
    return Store.of(db).status()


tab_names = [t("概况", "Overview", lang), t("上传导入", "Upload", lang), t("导入记录", "Import history", lang),
             t("数据质量", "Data quality", lang)]
if may(account, "audit"):
    tab_names.append(t("审计日志", "Audit trail", lang))
tabs = st.tabs(tab_names)
overview, upload, history, quality = tabs[:4]

# ------------------------------------------------------------------------------------------ overview
with overview:
    status = _status(store.key)
    cols = st.columns(4)
    labels = [
        ("accidents", t("事故记录", "Accident records", lang)),
        ("hazards", t("隐患记录", "Hazard records", lang)),
        ("accident_stats", t("事故统计报表行", "Accident statistics rows", lang)),
        ("hazard_stats", t("隐患月报表行", "Hazard report rows", lang)),
    ]
    for col, (key, label) in zip(cols, labels, strict=True):
        col.metric(label, f"{status[key]['rows']:,}")
    rows = []
    for key, label in labels:
        info = status[key]
        span = info.get("dates") or info.get("periods")
        rows.append({
            t("数据", "Data", lang): label,
            t("起", "From", lang): span["from"] or "—",
            t("止", "To", lang): span["to"] or "—",
            t("地区数", "Regions", lang): info["regions"],
        })
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if account.role == "admin":  # the file's name only: a server path is nobody's business on a page
        st.caption(t(f"数据库文件：{md_text(Path(status['db']).name)}", f"Database file: {md_text(Path(status['db']).name)}", lang))


# ------------------------------------------------------------------------------------------ upload
def _saved_upload(uploaded) -> Path:
    """The uploaded file on disk under its own name (the import log records the file name), kept for
    this session; the same content is written once."""
    folder = Path(st.session_state.setdefault("upload_dir", tempfile.mkdtemp(prefix="safety-upload-")))
    path = folder / Path(uploaded.name).name
    data = uploaded.getvalue()
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
    return path


def _column_choice(kind: str, name: str | None) -> str:
    if name is None:
        return t("（不导入）", "(not imported)", lang)
    c = KINDS[kind].column(name)
    star = " *" if c.required else ""
    return f"{c.zh} · {c.name}{star}" if lang == "zh" else f"{c.en} · {c.name}{star}"


def _grouped_reasons(rejects: pd.DataFrame) -> pd.DataFrame:
    """Rejected rows grouped by the columns at fault: how many, and the first row's reason."""
    if rejects.empty:
        return pd.DataFrame()
    g = rejects.groupby("columns", sort=False)
    out = pd.DataFrame({"n": g.size(), "example": g["reason"].first().map(_message), "rows": g["row_number"].apply(
        lambda r: ", ".join(str(x) for x in list(r)[:8]) + (" …" if len(r) > 8 else ""))}).reset_index()
    out = out.sort_values("n", ascending=False)
    out.columns = [t("问题列", "Columns", lang), t("行数", "Rows", lang), t("示例", "Example", lang),
                   t("行号", "Row numbers", lang)]
    return out


def _originals(rejects: pd.DataFrame, limit: int = 20) -> pd.DataFrame:
    import json

    head = rejects.head(limit)
    values = pd.DataFrame([json.loads(o) for o in head["original"]]) if len(head) else pd.DataFrame()
    front = pd.DataFrame({t("行号", "Row", lang): head["row_number"].to_numpy(),
                          t("原因", "Reason", lang): head["reason"].map(_message).to_numpy()})
    return pd.concat([front, values.reset_index(drop=True)], axis=1)


def _map_missing(kind: str, file_name: str, headers: tuple[str, ...], missing: tuple[str, ...]) -> None:
    """A required column the schema did not recognise: let the person say which of the file's columns
    it is (the choice joins the column mapping, and the file is read again)."""
    st.markdown("#### " + t("指定缺少的必填列", "Say which column is the missing one", lang))
    key = f"up_override_{kind}_{file_name}"
    for name in missing:
        c = KINDS[kind].column(name)
        pick = st.selectbox(t(f"文件中哪一列是“{c.zh}”（{name}）？", f"Which column of the file is \"{c.en}\" ({name})?", lang),
                            ["", *headers], key=f"up_missing_{kind}_{file_name}_{name}",
                            format_func=lambda h: h or t("（请选择）", "(choose)", lang))
        if pick:
            st.session_state[key] = {**st.session_state.get(key, {}), pick: name}
            st.rerun()


def _outside(accepted: pd.DataFrame) -> list[str]:
    """The region codes of rows outside the account's region (an import of them would be refused)."""
    codes = accepted["region_code"].dropna().unique() if "region_code" in accepted else []
    return sorted(str(c) for c in codes if not account.sees(str(c)))


def _upload_tab() -> None:
    from loaders.importer import check_upload, import_file, list_sheets, preview_file

    if not may(account, "upload"):
        st.info(t("您的角色不能导入数据。", "Your role may not import data.", lang))
        return
    kind = st.selectbox(t("数据类型", "Kind of data", lang), list(KINDS), format_func=_kind_label, key="up_kind")
    uploaded = st.file_uploader(t("选择文件（CSV、XLSX、XLS）", "Choose a file (CSV, XLSX, XLS)", lang),
                                type=["csv", "xlsx", "xls", "txt"], key="up_file")
    if uploaded is None:
        st.caption(t("文件格式见 README 的“输入格式”一节；表头可在标题行之下，支持两级表头和合计行。",
                     "The formats are in the README's \"Input formats\"; headers may sit under title rows, two-level "
                     "headers and total rows are understood.", lang))
    else:
        try:
            check_upload(uploaded.name, uploaded.size)
            path = _saved_upload(uploaded)
            sheets = list_sheets(path)
        except ReadError as exc:
            st.error(_error_text(exc))
            return
        sheet = st.selectbox(t("工作表", "Sheet", lang), sheets, key="up_sheet") if len(sheets) > 1 else (
            sheets[0] if sheets else None)
        saved = store.mappings(kind)
        use_saved = st.selectbox(t("使用已保存的列对应", "Apply a saved mapping", lang), ["", *saved], key="up_saved",
                                 format_func=lambda n: n or t("（自动识别）", "(automatic)", lang))
        defaults = {}
        with st.expander(t("文件中没有的列：地区、期间（可选）", "Columns the file lacks: region, period (optional)", lang)):
            d1, d2 = st.columns(2)
            region_default = d1.text_input(t("地区（如 长沙市 或 430100）", "Region (e.g. 长沙市 or 430100)", lang),
                                           key="up_region")
            period_default = d2.text_input(t("期间（如 2024-03）", "Period (e.g. 2024-03)", lang), key="up_period")
            if region_default.strip():
                defaults["region"] = region_default.strip()
            if period_default.strip():
                defaults["period" if kind != "targets" else "year"] = period_default.strip()
        override = dict(saved.get(use_saved, {})) if use_saved else {}
        override.update(st.session_state.get(f"up_override_{kind}_{uploaded.name}", {}))
        try:
            pv = preview_file(path, kind, sheet=sheet, mapping=override or None, defaults=defaults or None)
        except ReadError as exc:
            st.error(_error_text(exc))
            st.caption(t("文件未导入，数据库未改变。", "Nothing was imported; the store is unchanged.", lang))
            if exc.file_headers and exc.missing:
                _map_missing(kind, uploaded.name, exc.file_headers, exc.missing)
            return

        st.markdown("#### " + t("① 表头", "① Header", lang))
        sheet_name = md_text(pv.sheet or "—")
        st.write(t(f"在第 {pv.header_row} 行找到表头（工作表：{sheet_name}）。",
                   f"Header found on row {pv.header_row} (sheet: {sheet_name}).", lang))
        with st.expander(t("表头如何识别", "How the headers were read", lang)):
            st.dataframe(pd.DataFrame({
                t("文件表头", "File header", lang): [m.header for m in pv.headers],
                t("读作", "Read as", lang): [_column_choice(kind, m.column) for m in pv.headers],
                t("依据", "Why", lang): [m.why(lang) for m in pv.headers],
                t("得分", "Score", lang): [f"{m.score:.2f}" if m.column else "" for m in pv.headers],
            }), hide_index=True, width="stretch", key="up_header_report")
        st.markdown("#### " + t("② 列对应（可修改）", "② Column mapping (change any)", lang))
        options = [None, *[c.name for c in KINDS[kind].columns]]
        changed: dict[str, str | None] = {}
        grid = st.columns(3)
        for i, header in enumerate(pv.file_headers):
            current = pv.mapping.get(header)
            choice = grid[i % 3].selectbox(md_text(header), options, index=options.index(current) if current in options else 0,
                                           format_func=lambda n: _column_choice(kind, n),
                                           key=f"up_map_{kind}_{uploaded.name}_{i}")
            if choice != current:
                changed[header] = choice
        if changed:
            key = f"up_override_{kind}_{uploaded.name}"
            st.session_state[key] = {**st.session_state.get(key, {}), **changed}
            st.rerun()
        s1, s2 = st.columns([3, 1])
        name = s1.text_input(t("保存此列对应为", "Save this mapping as", lang), key="up_map_name",
                             placeholder=t("如：长沙市月报表", "e.g. Changsha monthly report", lang))
        if s2.button(t("保存", "Save", lang), key="up_map_save", disabled=not name.strip() or not may(account, "mapping"),
                     width="stretch"):
            store.save_mapping(name.strip(), kind, dict(pv.mapping))
            _audit("mapping_save", f"{kind}:{name.strip()}", f"{len(pv.mapping)} columns")
            st.success(t(f"已保存“{md_text(name.strip())}”。", f"Saved \"{md_text(name.strip())}\".", lang))

        st.markdown("#### " + t("③ 预览（入库后的样子，前 20 行）", "③ Preview (as stored, first 20 rows)", lang))
        head = pv.normalized.accepted.head(20).copy()
        if kind == "accident-stats":  # a figure not released is unknown: shown as such, not as an empty cell
            for c in ACCIDENT_STAT_MEASURES:
                head[c] = [t("未公布", "not released", lang) if pd.isna(x) else f"{int(x)}" for x in head[c]]
        names = {c.name: (c.zh if lang == "zh" else c.en) for c in KINDS[kind].columns}
        st.dataframe(head.rename(columns=lambda c: f"{names[c]} · {c}" if c in names else c), hide_index=True,
                     width="stretch", key="up_preview")
        st.markdown("#### " + t("④ 校验结果", "④ Validation", lang))
        n_ok, n_bad = len(pv.normalized.accepted), len(pv.normalized.rejects)
        v1, v2, v3 = st.columns(3)
        v1.metric(t("读取行数", "Rows read", lang), f"{pv.normalized.rows_read:,}")
        v2.metric(t("可导入", "Accepted", lang), f"{n_ok:,}")
        v3.metric(t("拒收", "Rejected", lang), f"{n_bad:,}")
        for note in [*pv.normalized.notes, *[f"row {r}: {w}" for r, w in pv.raw.skipped]]:
            st.caption("· " + md_text(_message(note)))
        if n_bad:
            st.dataframe(_grouped_reasons(pv.normalized.rejects), hide_index=True, width="stretch", key="up_reasons")
            st.markdown(t("拒收行（原始值）：", "Rejected rows (original values):", lang))
            st.dataframe(_originals(pv.normalized.rejects), hide_index=True, width="stretch", key="up_rejects")
        st.markdown("#### " + t("⑤ 导入", "⑤ Commit", lang))
        outside = _outside(pv.normalized.accepted)
        if outside:
            names = t("、", ", ", lang).join(region_label(c, lang) for c in outside[:10]) + (" …" if len(outside) > 10 else "")
            st.error(t(f"文件中有 {len(outside)} 个地区不在本账号的范围（{region_label(account.scope, lang)}）内：{names}。"
                       "只能导入本辖区的数据，请删去这些行后再上传。",
                       f"{len(outside)} region(s) of the file lie outside this account's region "
                       f"({region_label(account.scope, lang)}): {names}. Only the account's own region can be "
                       "imported: remove those rows and upload again.", lang))
        if st.button(t(f"导入 {n_ok:,} 行", f"Import {n_ok:,} rows", lang), type="primary", key="up_commit",
                     disabled=n_ok == 0 or bool(outside)):
            try:
                result = import_file(store, path, kind, sheet=sheet, defaults=defaults or None,
                                     mapping=dict(pv.mapping))
            except ReadError as exc:
                st.error(_error_text(exc))
            except ScopeError as exc:
                _audit("import_refused", uploaded.name, str(exc), "denied")
                st.error(t("导入被拒绝：文件中有不属于本账号地区的数据。", f"Import refused: {md_text(exc)}", lang))
            else:
                clear_caches()
                _audit("import", result.import_id, f"{uploaded.name} · {kind} · new {result.new}, updated "
                       f"{result.updated}, rejected {result.rejected}")
                st.session_state["up_done"] = result.as_json()
                st.rerun()
    done = st.session_state.get("up_done")
    if done:
        st.success(t(f"已导入 {md_text(done['file'])}：新增 {done['new']:,} 行，更新 {done['updated']:,} 行，未变 {done['unchanged']:,} 行，"
                     f"拒收 {done['rejected']:,} 行（导入编号 {done['import_id']}）。各页面已显示新数据。",
                     f"Imported {md_text(done['file'])}: {done['new']:,} new, {done['updated']:,} updated, {done['unchanged']:,} "
                     f"unchanged, {done['rejected']:,} rejected (import {done['import_id']}). Every page shows the new "
                     "numbers.", lang))


with upload:
    _upload_tab()

# ------------------------------------------------------------------------------------------ history
def _cancel_undo() -> None:
    st.session_state.pop("undo_pending", None)


@st.dialog(t("撤销导入", "Undo an import", lang), on_dismiss=_cancel_undo)
def _confirm_undo(row: pd.Series) -> None:
    """Ask before an undo, naming what it removes: the file, its kind, its rows, its date."""
    from store.duckdb_store import UndoError

    iid = str(row["import_id"])
    kind = _kind_label(row["kind"]) if row["kind"] in KINDS else row["kind"]
    when = pd.Timestamp(row["imported_at"]).strftime("%Y-%m-%d %H:%M")
    new, updated = int(row["new_rows"]), int(row["updated_rows"])
    st.markdown(t(f"确定撤销导入 **{iid}** 吗？\n\n- 文件：{md_text(row['file_name'])}\n- 数据类型：{kind}\n- 导入时间：{when}\n"
                  f"- 将删除该次导入新增的 **{new:,}** 行，并把它更新过的 **{updated:,}** 行恢复为导入前的内容；"
                  f"其拒收行一并删除，导入记录保留并标为已撤销。",
                  f"Undo import **{iid}**?\n\n- File: {md_text(row['file_name'])}\n- Kind: {kind}\n- Imported at: {when}\n"
                  f"- The **{new:,}** rows it added are removed and the **{updated:,}** rows it updated get back their "
                  "earlier content; its rejected rows are deleted; the log keeps the import, marked undone.", lang))
    c1, c2 = st.columns(2)
    if c1.button(t("确认撤销", "Undo it", lang), type="primary", key="hist_undo_confirm", width="stretch"):
        _cancel_undo()
        try:
            res = store.undo_import(iid)
        except (UndoError, ScopeError) as exc:
            _audit("undo_refused", iid, str(exc), "denied")
            text = _error_text(exc) if isinstance(exc, UndoError) else t(
                "撤销被拒绝：该次导入涉及本账号地区以外的数据。", f"Undo refused: {exc}", lang)
            st.session_state["undo_done"] = ("error", text, text)
        else:
            clear_caches()
            _audit("undo", iid, f"{row['file_name']} · {row['kind']} · removed {res.removed}, restored {res.restored}")
            st.session_state["undo_done"] = (
                "ok", f"已撤销 {iid}：删除 {res.removed:,} 行，恢复 {res.restored:,} 行。",
                f"Undid {iid}: {res.removed:,} rows removed, {res.restored:,} restored.")
        st.rerun()
    if c2.button(t("取消", "Cancel", lang), key="hist_undo_cancel", width="stretch"):
        _cancel_undo()
        st.rerun()


with history:
    imports = store.imports(limit=200)
    if imports.empty:
        st.info(t("尚无导入记录。", "No imports yet.", lang))
    else:
        undone = imports["undone_at"].notna() if "undone_at" in imports else pd.Series(False, index=imports.index)
        shown = pd.DataFrame({
            t("导入编号", "Import id", lang): imports["import_id"],
            t("数据类型", "Kind", lang): [_kind_label(k) if k in KINDS else k for k in imports["kind"]],
            t("文件", "File", lang): imports["file_name"],
            "sha256": imports["file_sha256"].str[:12],
            t("导入时间", "Imported at", lang): pd.to_datetime(imports["imported_at"]).dt.strftime("%Y-%m-%d %H:%M"),
            t("读取", "Read", lang): imports["rows_read"], t("新增", "New", lang): imports["new_rows"],
            t("更新", "Updated", lang): imports["updated_rows"], t("拒收", "Rejected", lang): imports["rejected_rows"],
            t("状态", "State", lang): [t("已撤销", "undone", lang) if u else t("有效", "in force", lang) for u in undone],
        })
        event = st.dataframe(shown, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                             key="hist_table")
        st.caption(t("选择一行可下载其拒收行或撤销该次导入。", "Select a row to download its rejects or undo the import.", lang))
        if event and event.selection.rows:
            row = imports.iloc[event.selection.rows[0]]
            iid = str(row["import_id"])
            rejects = store.rejects(iid)
            h1, h2 = st.columns(2)
            if len(rejects) and may(account, "download_records"):
                from loaders.importer import write_rejects

                def _rejects_csv(iid: str = iid) -> bytes:
                    with tempfile.TemporaryDirectory() as tmp:
                        out = Path(tmp) / "rejects.csv"
                        write_rejects(store, out, iid, lang=lang)
                        return out.read_bytes()

                h1.download_button(t(f"下载拒收行（{len(rejects):,} 行，CSV）", f"Download rejects ({len(rejects):,} rows, CSV)",
                                     lang), audited(_rejects_csv, "rejects", iid), file_name=f"rejects-{iid}.csv",
                                   mime="text/csv", key="hist_rejects", on_click="ignore")
            elif not len(rejects):
                h1.caption(t("该次导入没有拒收行。", "This import rejected nothing.", lang))
            if bool(undone.iloc[event.selection.rows[0]]):
                h2.caption(t("该次导入已撤销。", "This import has been undone.", lang))
            elif may(account, "undo") and h2.button(t("撤销该次导入", "Undo this import", lang), key="hist_undo",
                                                    type="secondary"):
                st.session_state["undo_pending"] = iid
        pending = st.session_state.get("undo_pending")
        if pending is not None and pending in set(imports["import_id"]):
            _confirm_undo(imports[imports["import_id"] == pending].iloc[0])
        done = st.session_state.pop("undo_done", None)
        if done:
            (st.success if done[0] == "ok" else st.error)(md_text(done[1 if lang == "zh" else 2]))

# ------------------------------------------------------------------------------------------ quality
def _finding_view(table: str, recs: pd.DataFrame) -> pd.DataFrame:
    """A finding's records as people read them (names for codes, the page's language), with the file
    each came from and, for a grade conflict, the grade the file gave."""
    from domain.grading import GRADE_LABELS as ACCIDENT_GRADE_LABELS
    from i18n import label
    from reports.explorer_tables import records_table

    shown = records_table(table, recs, lang).frame
    if "grade_reported" in recs:
        shown.insert(shown.columns.get_loc(t("事故等级", "Grade", lang)) + 1, t("文件中的等级", "Grade in the file", lang),
                     [label(ACCIDENT_GRADE_LABELS, g, lang) if g in ACCIDENT_GRADE_LABELS else g
                      for g in recs["grade_reported"]])
    shown[t("来源文件", "File", lang)] = recs["file_name"].to_numpy()
    shown[t("文件行号", "Row in file", lang)] = recs["source_row"].to_numpy()
    for c in shown.columns:  # a blank text is "—", not "None"
        if shown[c].dtype == object:
            shown[c] = shown[c].where(shown[c].notna(), "—")
    return shown


with quality:
    from answers.quality import FINDING_LABELS, coverage, findings, no_boundary
    from reports.explorer_tables import records_table
    from store.quality_queries import duplicate_ids_across_files, finding_records, records_in_regions

    today = view.today
    st.caption(t(f"范围：{region_label(view.region, lang, full=True)}（侧栏的地区）；日期以 {today} 为今天。",
                 f"Scope: {region_label(view.region, lang, full=True)} (the sidebar's region); today is {today}.", lang))
    for f in findings(store, view.region, today):
        title = FINDING_LABELS[f.key][0 if lang == "zh" else 1]
        with st.expander(f"{title}：{f.count:,}" if lang == "zh" else f"{title}: {f.count:,}",
                         icon=":material/warning:" if f.count else ":material/check_circle:"):
            if not f.count:
                st.caption(t("没有发现。", "None found.", lang))
            elif f.key == "duplicate_id":
                dup = duplicate_ids_across_files(store, view.region)
                st.dataframe(pd.DataFrame({
                    t("数据", "Table", lang): [_kind_label(x.replace("_", "-")) if x.replace("_", "-") in KINDS else x
                                             for x in dup["table_name"]],
                    t("编号", "Id", lang): dup["row_id"],
                    t("地区", "Region", lang): [region_label(c, lang, full=True) if c else "—" for c in dup["region_code"]],
                    t("先由此文件导入", "First supplied by", lang): dup["first_file"],
                    t("后被此文件覆盖", "Replaced by", lang): dup["replaced_by_file"],
                }), hide_index=True, width="stretch", key="q_dup")
            elif f.key == "no_boundary":
                nb = no_boundary(store, view.region)
                st.dataframe(nb, hide_index=True, width="stretch")
                codes = sorted(set(nb["region_code"]))
                for table in ("accidents", "hazards"):
                    recs = records_in_regions(store, table, codes)
                    if len(recs):
                        st.dataframe(records_table(table, recs, lang).frame, hide_index=True, width="stretch",
                                     key=f"q_nb_{table}")
            else:
                recs = finding_records(store, f.key, view.region, today)
                shown = _finding_view(f.table, recs)
                st.dataframe(shown, hide_index=True, width="stretch", key=f"q_{f.key}")
                if f.count > len(recs):
                    st.caption(t(f"显示最新的 {len(recs):,} 条，共 {f.count:,} 条。",
                                 f"Showing the newest {len(recs):,} of {f.count:,}.", lang))
                if may(account, "download_records"):
                    st.download_button(t("下载（CSV）", "Download (CSV)", lang),
                                       audited(safe_csv_frame(shown).to_csv(index=False).encode("utf-8-sig"),
                                               "quality_finding", f.key),
                                       file_name=f"{f.key}.csv", mime="text/csv", key=f"q_dl_{f.key}",
                                       on_click="ignore")

    st.markdown("#### " + t("报送覆盖（横向到边、纵向到底）", "Who reported (every region, every industry)", lang))
    last = view.period.last_day
    month_first = dt.date(last.year, last.month, 1)
    cov = coverage(store, view.region, month_first, last)
    c1, c2 = st.columns(2)
    c1.metric(t(f"{cov.month} 无任何报送的下级地区", f"Child regions with nothing in {cov.month}", lang),
              f"{len(cov.silent_children)} / {cov.children_total}")
    if cov.silent_children:
        c1.write(t("、", ", ", lang).join(region_label(c, lang) for c in cov.silent_children))
    c2.metric(t(f"{cov.month} 无隐患报送的行业", f"Industries with no hazard reported in {cov.month}", lang),
              f"{len(cov.silent_industries)} / {cov.industries_total}")
    if cov.silent_industries:
        c2.write(t("、", ", ", lang).join(industry_label(c, lang) for c in cov.silent_industries))
    st.caption(t("报送＝当月发现的隐患记录、发生的事故记录或隐患月报表，任有其一。",
                 "Reported = any hazard found, accident or monthly hazard report in the month.", lang))


# ------------------------------------------------------------------------------------------ audit trail
if may(account, "audit"):
    with tabs[4]:
        from accounts.audit import ACTION_LABELS, action_label, audit_export
        from exports import downloads as dl
        from store.accounts_queries import audit_frame

        a1, a2, a3 = st.columns([2, 1, 1])
        picked = a1.multiselect(t("操作", "Actions", lang), list(ACTION_LABELS), key="audit_actions",
                                format_func=lambda a: action_label(a, lang), placeholder=t("全部操作", "All actions", lang))
        who = a2.text_input(t("操作人（用户名）", "Who (user name)", lang), key="audit_actor").strip()
        days = a3.number_input(t("最近天数", "Last days", lang), min_value=1, max_value=3650, value=30, key="audit_days")
        since = dt.datetime.now() - dt.timedelta(days=int(days))
        trail = audit_frame(store, actor=who or None, actions=picked, since=since)
        shown = pd.DataFrame({
            t("时间", "Time", lang): pd.to_datetime(trail["at"]).dt.strftime("%Y-%m-%d %H:%M:%S"),
            t("操作人", "Who", lang): trail["actor"],
            t("操作", "Action", lang): [action_label(a, lang) for a in trail["action"]],
            t("对象", "On what", lang): trail["target"].fillna(""),
            t("详情", "Detail", lang): trail["detail"].fillna(""),
            t("来源地址", "From", lang): trail["client"].fillna(""),
            t("结果", "Outcome", lang): trail["outcome"],
        })
        st.dataframe(shown.head(2000), hide_index=True, width="stretch", key="audit_table")
        st.caption(t(f"共 {len(trail):,} 条（最近 {int(days)} 天；表中显示最新的 2,000 条，导出全部）。",
                     f"{len(trail):,} entries (last {int(days)} days; the newest 2,000 shown, all exported).", lang))
        filters = "；".join(x for x in (
            t(f"最近 {int(days)} 天", f"last {int(days)} days", lang),
            (t("操作：", "actions: ", lang) + t("、", ", ", lang).join(action_label(a, lang) for a in picked)) if picked else "",
            (t("操作人：", "who: ", lang) + who) if who else "") if x)

        def _export():
            return audit_export(trail, lang, str(store.path), dt.datetime.now(), filters)

        e1, e2 = st.columns(2)
        e1.download_button(t("导出审计日志（CSV）", "Export the audit trail (CSV)", lang),
                           audited(lambda: dl.to_csv(_export()), "audit", filters), file_name="audit-log.csv",
                           mime="text/csv", key="audit_csv", on_click="ignore", icon=":material/download:")
        e2.download_button(t("导出审计日志（XLSX）", "Export the audit trail (XLSX)", lang),
                           audited(lambda: dl.to_xlsx(_export()), "audit", filters), file_name="audit-log.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="audit_xlsx",
                           on_click="ignore", icon=":material/download:")
