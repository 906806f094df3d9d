"""File > Export… takes writer options as ``annotator export -O`` does: one it does not have is
refused in the dialog by name (the dialog stays open, nothing is written); the ones it has
reach the writer."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QLineEdit, QMessageBox

from tests.gui.helpers_mainwindow import isolate_settings, open_window, small_project

pytestmark = pytest.mark.gui


def test_export_dialog_refuses_an_unknown_option_then_exports(qtbot, tmp_path):
    isolate_settings(tmp_path)
    w = open_window(qtbot, small_project(tmp_path))
    w.project.add_span(w.current_doc, 0, 6, "GPE")  # Russia
    out = tmp_path / "gui.conll"
    seen: dict[str, object] = {}

    def fill_in() -> None:
        dlg = QApplication.activeModalWidget()
        if dlg is None or dlg.objectName() != "exportDialog":
            QTimer.singleShot(50, fill_in)
            return
        fmt = dlg.findChild(type(dlg.format), "exportFormat")
        fmt.setCurrentIndex(fmt.findData("conll"))
        dlg.all_docs.setChecked(True)
        target = dlg.findChild(QLineEdit, "exportOut")
        target.clear()
        qtbot.keyClicks(target, str(out))
        options = dlg.findChild(QLineEdit, "exportOptions")
        qtbot.keyClicks(options, "schema=BILOU")
        export = dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(export, Qt.MouseButton.LeftButton)
        seen["error"] = dlg.findChild(QLabel, "exportOptionsError").text()
        seen["open"] = dlg.isVisible()
        options.clear()
        qtbot.keyClicks(options, "scheme=BILOU columns=2")
        qtbot.mouseClick(export, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill_in)
    w.io.export_dialog()
    assert seen["open"] is True
    assert seen["error"] == ("the conll writer has no option 'schema' (its options: columns, "
                             "docstart, kinds, layer, scheme, space_replacement)")
    qtbot.waitUntil(lambda: w.findChild(QMessageBox, "exportFinished") is not None,
                    timeout=60_000)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "-DOCSTART- -X- O O"
    rows = [line for line in lines if line and not line.startswith("-DOCSTART-")]
    assert all(len(row.split()) == 2 for row in rows)  # columns=2 reached the writer
    assert "Russia U-GPE" in rows  # and scheme=BILOU
    w.findChild(QMessageBox, "exportFinished").close()
    w.close()
