"""Data management (数据管理): what the store holds; upload a file (sheet → header → column mapping →
preview → validation → commit, the same import as ``python -m loaders import``); the import history
with each import's rejects and an undo (confirmed first); the data-quality panel; for administrators the
audit trail. The store is the session's, scoped to the account's region: a data officer imports and
undoes inside it only. Imports, undos, saved mappings and downloads go into the audit trail."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import streamlit as st

from accounts import may
from accounts import service as access
from answers import data_status as ds
from domain.industries import industry_label
from domain.regions import COUNTRY_CODE, region_label
from exports.downloads import safe_csv_frame
from i18n import md_text, t
from views import data_upload
from webapp import state
from webapp.session import audited, client_address, current_account
from webapp.state import clear_caches, current_view, db_key
from webapp.widgets import XLSX_MIME

view = current_view()
lang = view.lang
account = current_account()
store = state.session_store()  # scoped to the account's region: imports and undos outside it are refused
st.title(t("数据管理", "Data management", lang))


def _audit(action: str, target: str | None, detail: str | None = None, outcome: str = "ok") -> None:
    access.audit(store, account.username, action, target, detail, client_address(), outcome)


def _error_text(exc: Exception) -> str:
    return ds.error_text(exc, lang)


tab_names = [
    t("概况", "Overview", lang),
    t("上传导入", "Upload", lang),
    t("导入记录", "Import history", lang),
    t("数据质量", "Data quality", lang),
]
if may(account, "audit"):
    tab_names.append(t("审计日志", "Audit trail", lang))
tabs = st.tabs(tab_names)
overview, upload, history, quality = tabs[:4]


def _cancel_demo_removal() -> None:
    st.session_state.pop("demo_remove_pending", None)


@st.dialog(t("删除演示数据", "Remove the demo data", lang), on_dismiss=_cancel_demo_removal)
def _confirm_demo_removal() -> None:
    st.markdown(
        t("删除全部演示数据？已导入的数据全部保留。", "Remove all the demo data? Every imported row is kept.", lang)
    )
    if st.button(t("确认删除", "Remove it", lang), type="primary", key="demo_remove_confirm"):
        _cancel_demo_removal()
        imports, detail = ds.remove_demo(store)
        _audit("demo_remove", imports, detail)
        clear_caches()
        st.rerun()


# ------------------------------------------------------------------------------------------ overview
with overview:
    status = state.store_status(db_key())
    metrics, spans = ds.overview(status, lang)
    for col, (label, value) in zip(st.columns(4), metrics, strict=True):
        col.metric(label, value)
    st.dataframe(spans, hide_index=True, width="stretch")
    demo = state.demo_rows(db_key())
    if demo:  # the way to one's own data: the demo out, imports kept (README "Your own data")
        st.info(ds.demo_notice(demo, lang))
        may_remove = account.role == "admin" and store.scope == COUNTRY_CODE  # it takes the whole country's data
        if may_remove and st.button(
            t("删除演示数据", "Remove the demo data", lang), key="demo_remove", icon=":material/delete:"
        ):
            st.session_state["demo_remove_pending"] = True
        if may_remove and st.session_state.get("demo_remove_pending"):
            _confirm_demo_removal()
    if account.role == "admin":  # the file's name only: a server path is nobody's business on a page
        st.caption(
            t(
                f"数据库文件：{md_text(Path(status['db']).name)}",
                f"Database file: {md_text(Path(status['db']).name)}",
                lang,
            )
        )


# ------------------------------------------------------------------------------------------ upload
with upload:
    data_upload.draw(store, account, lang, _audit)


# ------------------------------------------------------------------------------------------ history
def _cancel_undo() -> None:
    st.session_state.pop("undo_pending", None)


@st.dialog(t("撤销导入", "Undo an import", lang), on_dismiss=_cancel_undo)
def _confirm_undo(row: pd.Series) -> None:
    """Ask before an undo, naming what it removes: the file, its kind, its rows, its date."""
    iid = str(row["import_id"])
    st.markdown(ds.undo_question(row, lang))
    c1, c2 = st.columns(2)
    if c1.button(t("确认撤销", "Undo it", lang), type="primary", key="hist_undo_confirm", width="stretch"):
        _cancel_undo()
        try:
            res = ds.undo(store, iid)
        except (ds.UndoError, ds.ScopeError) as exc:
            _audit("undo_refused", iid, str(exc), "denied")
            text = (
                _error_text(exc)
                if isinstance(exc, ds.UndoError)
                else t("撤销被拒绝：该次导入涉及本账号地区以外的数据。", f"Undo refused: {exc}", lang)
            )
            st.session_state["undo_done"] = ("error", text, text)
        else:
            clear_caches()
            _audit("undo", iid, f"{row['file_name']} · {row['kind']} · removed {res.removed}, restored {res.restored}")
            st.session_state["undo_done"] = (
                "ok",
                f"已撤销 {iid}：删除 {res.removed:,} 行，恢复 {res.restored:,} 行。",
                f"Undid {iid}: {res.removed:,} rows removed, {res.restored:,} restored.",
            )
        st.rerun()
    if c2.button(t("取消", "Cancel", lang), key="hist_undo_cancel", width="stretch"):
        _cancel_undo()
        st.rerun()


with history:
    imports = ds.imports(store)
    if imports.empty:
        st.info(t("尚无导入记录。", "No imports yet.", lang))
    else:
        shown, undone = ds.history(imports, lang)
        event = st.dataframe(
            shown, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row", key="hist_table"
        )
        st.caption(
            t(
                "选择一行可下载其拒收行或撤销该次导入。",
                "Select a row to download its rejects or undo the import.",
                lang,
            )
        )
        if event and event.selection.rows:
            row = imports.iloc[event.selection.rows[0]]
            iid = str(row["import_id"])
            rejects = ds.rejects(store, iid)
            h1, h2 = st.columns(2)
            if len(rejects) and may(account, "download_records"):
                h1.download_button(
                    t(
                        f"下载拒收行（{len(rejects):,} 行，CSV）",
                        f"Download rejects ({len(rejects):,} rows, CSV)",
                        lang,
                    ),
                    audited(lambda iid=iid: ds.rejects_csv(store, iid, lang), "rejects", iid),
                    file_name=f"rejects-{iid}.csv",
                    mime="text/csv",
                    key="hist_rejects",
                    on_click="ignore",
                )
            elif not len(rejects):
                h1.caption(t("该次导入没有拒收行。", "This import rejected nothing.", lang))
            if bool(undone.iloc[event.selection.rows[0]]):
                h2.caption(t("该次导入已撤销。", "This import has been undone.", lang))
            elif may(account, "undo") and h2.button(
                t("撤销该次导入", "Undo this import", lang), key="hist_undo", type="secondary"
            ):
                st.session_state["undo_pending"] = iid
        pending = st.session_state.get("undo_pending")
        if pending is not None and pending in set(imports["import_id"]):
            _confirm_undo(imports[imports["import_id"] == pending].iloc[0])
        done = st.session_state.pop("undo_done", None)
        if done:
            (st.success if done[0] == "ok" else st.error)(md_text(done[1 if lang == "zh" else 2]))

# ------------------------------------------------------------------------------------------ quality
with quality:
    from reports.quality_tables import finding_view, records_view

    today = view.today
    st.caption(
        t(
            f"范围：{region_label(view.region, lang, full=True)}（侧栏的地区）；日期以 {today} 为今天。",
            f"Scope: {region_label(view.region, lang, full=True)} (the sidebar's region); today is {today}.",
            lang,
        )
    )
    for f in ds.findings(store, view.region, today):
        title = ds.FINDING_LABELS[f.key][0 if lang == "zh" else 1]
        with st.expander(
            f"{title}：{f.count:,}" if lang == "zh" else f"{title}: {f.count:,}",
            icon=":material/warning:" if f.count else ":material/check_circle:",
        ):
            if not f.count:
                st.caption(t("没有发现。", "None found.", lang))
            elif f.key == "duplicate_id":
                st.dataframe(ds.duplicates(store, view.region, lang), hide_index=True, width="stretch", key="q_dup")
            elif f.key == "no_boundary":
                nb = ds.no_boundary(store, view.region)
                st.dataframe(nb, hide_index=True, width="stretch")
                codes = sorted(set(nb["region_code"]))
                for table in ("accidents", "hazards"):
                    recs = ds.records_in_regions(store, table, codes)
                    if len(recs):
                        st.dataframe(
                            records_view(table, recs, lang), hide_index=True, width="stretch", key=f"q_nb_{table}"
                        )
            else:
                recs = ds.finding_records(store, f.key, view.region, today)
                shown = finding_view(f.table, recs, lang)
                st.dataframe(shown, hide_index=True, width="stretch", key=f"q_{f.key}")
                if f.count > len(recs):
                    st.caption(
                        t(
                            f"显示最新的 {len(recs):,} 条，共 {f.count:,} 条。",
                            f"Showing the newest {len(recs):,} of {f.count:,}.",
                            lang,
                        )
                    )
                if may(account, "download_records"):
                    st.download_button(
                        t("下载（CSV）", "Download (CSV)", lang),
                        audited(
                            safe_csv_frame(shown).to_csv(index=False).encode("utf-8-sig"), "quality_finding", f.key
                        ),
                        file_name=f"{f.key}.csv",
                        mime="text/csv",
                        key=f"q_dl_{f.key}",
                        on_click="ignore",
                    )

    st.markdown("#### " + t("报送覆盖（横向到边、纵向到底）", "Who reported (every region, every industry)", lang))
    cov = ds.month_coverage(store, view.region, view.period.last_day)
    c1, c2 = st.columns(2)
    c1.metric(
        t(f"{cov.month} 无任何报送的下级地区", f"Child regions with nothing in {cov.month}", lang),
        f"{len(cov.silent_children)} / {cov.children_total}",
    )
    if cov.silent_children:
        c1.write(t("、", ", ", lang).join(region_label(c, lang) for c in cov.silent_children))
    c2.metric(
        t(f"{cov.month} 无隐患报送的行业", f"Industries with no hazard reported in {cov.month}", lang),
        f"{len(cov.silent_industries)} / {cov.industries_total}",
    )
    if cov.silent_industries:
        c2.write(t("、", ", ", lang).join(industry_label(c, lang) for c in cov.silent_industries))
    st.caption(
        t(
            "报送＝当月发现的隐患记录、发生的事故记录或隐患月报表，任有其一。",
            "Reported = any hazard found, accident or monthly hazard report in the month.",
            lang,
        )
    )


# ------------------------------------------------------------------------------------------ audit trail
if may(account, "audit"):
    with tabs[4]:
        from accounts.audit import ACTION_LABELS, action_label
        from exports import downloads as dl

        a1, a2, a3 = st.columns([2, 1, 1])
        picked = a1.multiselect(
            t("操作", "Actions", lang),
            list(ACTION_LABELS),
            key="audit_actions",
            format_func=lambda a: action_label(a, lang),
            placeholder=t("全部操作", "All actions", lang),
        )
        who = a2.text_input(t("操作人（用户名）", "Who (user name)", lang), key="audit_actor").strip()
        days = a3.number_input(
            t("最近天数", "Last days", lang), min_value=1, max_value=3650, value=30, key="audit_days"
        )
        trail, shown, filters = ds.audit_trail(store, who, picked, int(days), dt.datetime.now(), lang)
        st.dataframe(shown.head(2000), hide_index=True, width="stretch", key="audit_table")
        st.caption(
            t(
                f"共 {len(trail):,} 条（最近 {int(days)} 天；表中显示最新的 2,000 条，导出全部）。",
                f"{len(trail):,} entries (last {int(days)} days; the newest 2,000 shown, all exported).",
                lang,
            )
        )
        e1, e2 = st.columns(2)
        e1.download_button(
            t("导出审计日志（CSV）", "Export the audit trail (CSV)", lang),
            audited(lambda: dl.to_csv(ds.audit_file(store, trail, filters, lang)), "audit", filters),
            file_name="audit-log.csv",
            mime="text/csv",
            key="audit_csv",
            on_click="ignore",
            icon=":material/download:",
        )
        e2.download_button(
            t("导出审计日志（XLSX）", "Export the audit trail (XLSX)", lang),
            audited(lambda: dl.to_xlsx(ds.audit_file(store, trail, filters, lang)), "audit", filters),
            file_name="audit-log.xlsx",
            mime=XLSX_MIME,
            key="audit_xlsx",
            on_click="ignore",
            icon=":material/download:",
        )
