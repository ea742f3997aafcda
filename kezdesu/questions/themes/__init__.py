"""Themes of citizens' questions: `engine` groups texts (no Django); `selectors` reads the public
questions of a meeting or a region and returns `Theme`s (`meeting_themes`, `region_themes`)."""
