from django import template

from proofing.forms import proof_panel

register = template.Library()

# A tag, not a filter: a page that passes no form (the reply's preview) leaves it empty, not an error.
register.simple_tag(proof_panel, name="proof_panel")
