from articles.models.pages import ArticleIndexPage, TreatmentArticlePage

__all__ = ["ArticleIndexPage", "TreatmentArticlePage"]
