"""Text rules: which script a character belongs to, joining glyphs and lines, de-hyphenation."""
