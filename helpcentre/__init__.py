"""The help centre: articles kept as Markdown files (one per article and language), their
sections, search, related articles, and readers' "Was this helpful?" votes."""
