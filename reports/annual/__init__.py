"""The annual summary (年度工作总结): compiled figures, the workbook and the draft text."""
