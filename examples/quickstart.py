"""The README example: extract claims from a short article and print who said what."""

import claimx

text = """Harbour Minister Lena Sund defended the port plan on Monday.

“We will not let the harbour silt up again,” Sund told reporters. “The dredging starts in May.”

The opposition leader, Tomas Berg, warned that the costs were hidden. He said the plan would double the port fees.
"""
result = claimx.extract(text)
for claim in result.claims:
    print(claim.kind, claim.act, claim.speaker.name, repr(claim.content.text))
