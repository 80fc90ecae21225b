"""The office's own answers (答复口径): reply templates kept per kind of demand and department.
Their variables are filled by ``opinions.templating``; the list a replier chooses from is
``opinions.selectors.knowledge.reply_templates_for``."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from bureau.models import Department
from opinions.models.demands import DemandKind
from opinions.templating import VARIABLES, template_unknown


class ReplyTemplate(models.Model):
    """A reply with variables ({姓名}, {编号}, {受理日期} …), for one kind of demand and one
    department, or for any when left empty. ``use_count`` grows by one each time a reply built
    from it is submitted; the list puts the most used first."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(
        _("kind"), max_length=20, choices=DemandKind.choices, blank=True, help_text=_("Empty: any kind.")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
        help_text=_("Empty: any department."),
    )
    text = models.TextField(
        _("text"),
        help_text=_(
            "Variables, filled in for each demand: {姓名} the citizen's name, {编号} the case number, "
            "{受理日期} the date received, {今天} today, {答复期限} the date the reply is due, {部门} the department."
        ),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    use_count = models.PositiveIntegerField(_("times used"), default=0, editable=False)

    class Meta:
        ordering = ["-use_count", "name", "pk"]
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """A name in braces that is not a variable is refused, with the variables there are."""
        if unknown := template_unknown(self.text or ""):
            known = "、".join(f"{{{chinese}}}" for chinese, _label in VARIABLES.values())
            raise ValidationError(
                {
                    "text": _("Unknown variable %(names)s. The variables are: %(known)s.")
                    % {"names": "、".join(f"{{{name}}}" for name in unknown), "known": known}
                }
            )
