"""Words whose swap for their opposite reverses what a news sentence says.

Each pair is two word families (every inflection written out, lowercase); a rewrite that
loses a word of one family and gains a word of the other is refused. A family may
stand in several pairs (``reject`` against both ``accept`` and ``approve``). The list
is for the words that news MT and its rewrites meet; it is data, extended as found.
"""

from __future__ import annotations

from functools import lru_cache

PAIRS: tuple[tuple[str, str], ...] = (
    ("accept accepts accepted accepting acceptance",
     "reject rejects rejected rejecting rejection"),
    ("approve approves approved approving approval",
     "reject rejects rejected rejecting rejection"),
    ("approve approves approved approving approval",
     "veto vetoes vetoed vetoing"),
    ("increase increases increased increasing",
     "decrease decreases decreased decreasing"),
    ("increase increases increased increasing",
     "reduce reduces reduced reducing reduction"),
    ("rise rises rose risen rising", "fall falls fell fallen falling"),
    ("rise rises rose risen rising", "drop drops dropped dropping"),
    ("grow grows grew grown growing growth",
     "shrink shrinks shrank shrunk shrinking"),
    ("grow grows grew grown growing growth",
     "decline declines declined declining"),
    ("raise raises raised raising", "lower lowers lowered lowering"),
    ("gain gains gained gaining", "lose loses lost losing loss losses"),
    ("win wins won winning winner winners",
     "lose loses lost losing loser losers"),
    ("victory victories", "defeat defeats defeated defeating"),
    ("allow allows allowed allowing", "forbid forbids forbade forbidden forbidding"),
    ("allow allows allowed allowing", "ban bans banned banning"),
    ("allow allows allowed allowing", "prohibit prohibits prohibited prohibiting"),
    ("permit permits permitted permitting", "forbid forbids forbade forbidden forbidding"),
    ("support supports supported supporting supporter supporters",
     "oppose opposes opposed opposing opponent opponents opposition"),
    ("agree agrees agreed agreeing agreement",
     "disagree disagrees disagreed disagreeing disagreement"),
    ("confirm confirms confirmed confirming confirmation",
     "deny denies denied denying denial"),
    ("admit admits admitted admitting", "deny denies denied denying denial"),
    ("include includes included including", "exclude excludes excluded excluding"),
    ("succeed succeeds succeeded succeeding success successful successfully",
     "fail fails failed failing failure failures unsuccessful"),
    ("buy buys bought buying buyer buyers", "sell sells sold selling seller sellers"),
    ("import imports imported importing importer importers",
     "export exports exported exporting exporter exporters"),
    ("open opens opened opening", "close closes closed closing closure"),
    ("begin begins began begun beginning", "end ends ended ending"),
    ("start starts started starting", "end ends ended ending"),
    ("start starts started starting", "stop stops stopped stopping"),
    ("advance advances advanced advancing", "retreat retreats retreated retreating"),
    ("deploy deploys deployed deploying deployment",
     "withdraw withdraws withdrew withdrawn withdrawing withdrawal"),
    ("impose imposes imposed imposing", "lift lifts lifted lifting"),
    ("tighten tightens tightened tightening", "ease eases eased easing"),
    ("strengthen strengthens strengthened strengthening",
     "weaken weakens weakened weakening"),
    ("arrest arrests arrested arresting", "release releases released releasing"),
    ("convict convicts convicted convicting conviction",
     "acquit acquits acquitted acquitting acquittal"),
    ("guilty", "innocent"),
    ("legal", "illegal"),
    ("possible", "impossible"),
    ("likely", "unlikely"),
    ("able", "unable"),
    ("true", "false"),
    ("right", "wrong"),
    ("positive", "negative"),
    ("majority", "minority"),
    ("maximum", "minimum"),
    ("profit profits", "loss losses"),
    ("surplus surpluses", "deficit deficits"),
    ("peace", "war"),
    ("ally allies allied", "enemy enemies adversary adversaries"),
    ("friend friends friendly", "enemy enemies hostile"),
    ("more", "less fewer"),
    ("most", "least fewest"),
    ("higher highest", "lower lowest"),
    ("high", "low"),
    ("before", "after"),
    ("above", "below"),
    ("first", "last"),
    ("earlier earliest early", "later latest late"),
    ("north northern", "south southern"),
    ("east eastern", "west western"),
    ("always", "never"),
    ("all", "none"),
)  # fmt: skip


@lru_cache(maxsize=1)
def antonym_families() -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    return tuple((frozenset(a.split()), frozenset(b.split())) for a, b in PAIRS)
