"""The Data page's upload tab (数据管理 · 上传导入), drawn by views/data_status.py (not a page of its own):
sheet → header → column mapping → preview → validation → commit, the same import as
``python -m loaders import``; what it shows is computed in answers/data_status.py."""

from __future__ import annotations

import tempfile
from collections.abc import Callable

import streamlit as st

from accounts import may
from accounts.model import Account
from answers import data_status as ds
from i18n import md_text, t
from loaders.read_errors import ReadError
from loaders.schema import KINDS
from webapp.state import clear_caches


def _saved_upload(uploaded):
    """The uploaded file on disk under its own name, kept for this session (written once)."""
    folder = st.session_state.setdefault("upload_dir", tempfile.mkdtemp(prefix="safety-upload-"))
    return ds.saved_upload(folder, uploaded.name, uploaded.getvalue())


def _map_missing(kind: str, file_name: str, headers: tuple[str, ...], missing: tuple[str, ...], lang: str) -> None:
    """A required column the schema did not recognise: let the person say which of the file's columns
    it is (the choice joins the column mapping, and the file is read again)."""
    st.markdown("#### " + t("指定缺少的必填列", "Say which column is the missing one", lang))
    key = f"up_override_{kind}_{file_name}"
    for name in missing:
        c = KINDS[kind].column(name)
        pick = st.selectbox(
            t(f"文件中哪一列是“{c.zh}”（{name}）？", f'Which column of the file is "{c.en}" ({name})?', lang),
            ["", *headers],
            key=f"up_missing_{kind}_{file_name}_{name}",
            format_func=lambda h: h or t("（请选择）", "(choose)", lang),
        )
        if pick:
            st.session_state[key] = {**st.session_state.get(key, {}), pick: name}
            st.rerun()


def draw(store: ds.Store, account: Account, lang: str, audit: Callable[..., None]) -> None:
    """The upload tab: a file, its sheet, its header, the column mapping, the preview, the validation, the
    import; ``audit(action, target, detail, outcome)`` writes the audit trail."""
    from loaders.importer import check_upload, import_file, list_sheets, preview_file

    if not may(account, "upload"):
        st.info(t("您的角色不能导入数据。", "Your role may not import data.", lang))
        return
    kind = st.selectbox(
        t("数据类型", "Kind of data", lang), list(KINDS), format_func=lambda k: ds.kind_label(k, lang), key="up_kind"
    )
    uploaded = st.file_uploader(
        t("选择文件（CSV、XLSX、XLS）", "Choose a file (CSV, XLSX, XLS)", lang),
        type=["csv", "xlsx", "xls", "txt"],
        key="up_file",
    )
    if uploaded is None:
        st.caption(
            t(
                "文件格式见 README 的“输入格式”一节；表头可在标题行之下，支持两级表头和合计行。",
                'The formats are in the README\'s "Input formats"; headers may sit under title rows, two-level '
                "headers and total rows are understood.",
                lang,
            )
        )
    else:
        try:
            check_upload(uploaded.name, uploaded.size)
            path = _saved_upload(uploaded)
            sheets = list_sheets(path)
        except ReadError as exc:
            st.error(ds.error_text(exc, lang))
            return
        sheet = (
            st.selectbox(t("工作表", "Sheet", lang), sheets, key="up_sheet")
            if len(sheets) > 1
            else (sheets[0] if sheets else None)
        )
        saved = ds.mappings(store, kind)
        use_saved = st.selectbox(
            t("使用已保存的列对应", "Apply a saved mapping", lang),
            ["", *saved],
            key="up_saved",
            format_func=lambda n: n or t("（自动识别）", "(automatic)", lang),
        )
        defaults = {}
        with st.expander(
            t("文件中没有的列：地区、期间（可选）", "Columns the file lacks: region, period (optional)", lang)
        ):
            d1, d2 = st.columns(2)
            region_default = d1.text_input(
                t("地区（如 长沙市 或 430100）", "Region (e.g. 长沙市 or 430100)", lang), key="up_region"
            )
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
            st.error(ds.error_text(exc, lang))
            st.caption(t("文件未导入，数据库未改变。", "Nothing was imported; the store is unchanged.", lang))
            if exc.file_headers and exc.missing:
                _map_missing(kind, uploaded.name, exc.file_headers, exc.missing, lang)
            return

        st.markdown("#### " + t("① 表头", "① Header", lang))
        sheet_name = md_text(pv.sheet or "—")
        st.write(
            t(
                f"在第 {pv.header_row} 行找到表头（工作表：{sheet_name}）。",
                f"Header found on row {pv.header_row} (sheet: {sheet_name}).",
                lang,
            )
        )
        with st.expander(t("表头如何识别", "How the headers were read", lang)):
            st.dataframe(ds.header_report(pv, kind, lang), hide_index=True, width="stretch", key="up_header_report")
        st.markdown("#### " + t("② 列对应（可修改）", "② Column mapping (change any)", lang))
        options = [None, *[c.name for c in KINDS[kind].columns]]
        changed: dict[str, str | None] = {}
        grid = st.columns(3)
        for i, header in enumerate(pv.file_headers):
            current = pv.mapping.get(header)
            choice = grid[i % 3].selectbox(
                md_text(header),
                options,
                index=options.index(current) if current in options else 0,
                format_func=lambda n: ds.column_choice(kind, n, lang),
                key=f"up_map_{kind}_{uploaded.name}_{i}",
            )
            if choice != current:
                changed[header] = choice
        if changed:
            key = f"up_override_{kind}_{uploaded.name}"
            st.session_state[key] = {**st.session_state.get(key, {}), **changed}
            st.rerun()
        s1, s2 = st.columns([3, 1])
        name = s1.text_input(
            t("保存此列对应为", "Save this mapping as", lang),
            key="up_map_name",
            placeholder=t("如：长沙市月报表", "e.g. Changsha monthly report", lang),
        )
        if s2.button(
            t("保存", "Save", lang),
            key="up_map_save",
            disabled=not name.strip() or not may(account, "mapping"),
            width="stretch",
        ):
            ds.save_mapping(store, name.strip(), kind, dict(pv.mapping))
            audit("mapping_save", f"{kind}:{name.strip()}", f"{len(pv.mapping)} columns")
            st.success(t(f"已保存“{md_text(name.strip())}”。", f'Saved "{md_text(name.strip())}".', lang))

        st.markdown("#### " + t("③ 预览（入库后的样子，前 20 行）", "③ Preview (as stored, first 20 rows)", lang))
        st.dataframe(
            ds.preview_head(pv.normalized.accepted, kind, lang), hide_index=True, width="stretch", key="up_preview"
        )
        st.markdown("#### " + t("④ 校验结果", "④ Validation", lang))
        n_ok, n_bad = len(pv.normalized.accepted), len(pv.normalized.rejects)
        v1, v2, v3 = st.columns(3)
        v1.metric(t("读取行数", "Rows read", lang), f"{pv.normalized.rows_read:,}")
        v2.metric(t("可导入", "Accepted", lang), f"{n_ok:,}")
        v3.metric(t("拒收", "Rejected", lang), f"{n_bad:,}")
        for note in [*pv.normalized.notes, *[f"row {r}: {w}" for r, w in pv.raw.skipped]]:
            st.caption("· " + md_text(ds.message(note, lang)))
        if n_bad:
            st.dataframe(
                ds.grouped_reasons(pv.normalized.rejects, lang), hide_index=True, width="stretch", key="up_reasons"
            )
            st.markdown(t("拒收行（原始值）：", "Rejected rows (original values):", lang))
            st.dataframe(ds.originals(pv.normalized.rejects, lang), hide_index=True, width="stretch", key="up_rejects")
        st.markdown("#### " + t("⑤ 导入", "⑤ Commit", lang))
        outside = ds.outside(pv.normalized.accepted, account.sees)
        if outside:
            st.error(ds.outside_text(outside, account.scope, lang))
        if st.button(
            t(f"导入 {n_ok:,} 行", f"Import {n_ok:,} rows", lang),
            type="primary",
            key="up_commit",
            disabled=n_ok == 0 or bool(outside),
        ):
            try:
                result = import_file(
                    store, path, kind, sheet=sheet, defaults=defaults or None, mapping=dict(pv.mapping)
                )
            except ReadError as exc:
                st.error(ds.error_text(exc, lang))
            except ds.ScopeError as exc:
                audit("import_refused", uploaded.name, str(exc), "denied")
                st.error(t("导入被拒绝：文件中有不属于本账号地区的数据。", f"Import refused: {md_text(exc)}", lang))
            else:
                clear_caches()
                audit(
                    "import",
                    result.import_id,
                    f"{uploaded.name} · {kind} · new {result.new}, updated "
                    f"{result.updated}, rejected {result.rejected}",
                )
                st.session_state["up_done"] = result.as_json()
                st.rerun()
    done = st.session_state.get("up_done")
    if done:
        st.success(ds.import_done_text(done, lang))
