from articles.models.pages import ArticleIndexPage, TreatmentArticlePage
from articles.models.taxonomy import Condition, Reviewer, Treatment

__all__ = ["ArticleIndexPage", "Condition", "Reviewer", "Treatment", "TreatmentArticlePage"]
