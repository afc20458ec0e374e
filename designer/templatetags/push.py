"""Template tags of push: the drift badge in the heading of a design's pages."""

from __future__ import annotations

from django import template

from designer.push.runs import drift_summary

register = template.Library()


@register.inclusion_tag("designer/_drift_badge.html")
def drift_badge(design) -> dict:
    return {"design": design, "drift": drift_summary(design)}
