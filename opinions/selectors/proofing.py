"""What of a demand goes out, and so is proofread (``proofing``): the reply given publicly."""

from opinions.models import Demand
from proofing.selectors import Proof, Text, proof_read


def demand_reply_texts(demand: Demand, reply_text: str | None = None) -> list[Text]:
    """The reply as stored, or as typed (``reply_text``) when it is checked before it is sent."""
    label = str(Demand._meta.get_field("reply_text").verbose_name)
    return [Text("reply", label, demand.reply_text if reply_text is None else reply_text)]


def demand_reply_proof(demand: Demand, reply_text: str | None = None) -> Proof:
    """The proofreading of the reply, with the acknowledgements recorded for this demand."""
    return proof_read(subject=demand, texts=demand_reply_texts(demand, reply_text))
