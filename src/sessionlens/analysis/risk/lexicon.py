"""Risk categories and the words around a cue that change its reading (idioms, hypothetical, reported, denial).

The cues themselves are data: ``rules.json``, read by ``rules``. Idioms that borrow risk words ("killing it at
work", "this traffic is killing me") suppress any cue they overlap.
"""

from __future__ import annotations

from ..textcues import compile_cues

SUICIDAL_IDEATION = "suicidal_ideation"
SELF_HARM = "self_harm"
HARM_TO_OTHERS = "harm_to_others"
ABUSE_NEGLECT = "abuse_neglect"
SUBSTANCE_CRISIS = "substance_crisis"
CATEGORIES = (SUICIDAL_IDEATION, SELF_HARM, HARM_TO_OTHERS, ABUSE_NEGLECT, SUBSTANCE_CRISIS)
CATEGORY_NAMES = {
    SUICIDAL_IDEATION: "suicidal ideation",
    SELF_HARM: "self-harm",
    HARM_TO_OTHERS: "harm to others",
    ABUSE_NEGLECT: "abuse or neglect",
    SUBSTANCE_CRISIS: "substance crisis",
}

# Phrases that use risk words figuratively; a cue overlapping one of these is dropped.
IDIOMS = compile_cues(
    [
        r"killing it",
        r"kill(?:ed|s)? it",
        r"(?:is|are|was|were|'s|'re|been|keeps?) killing me",
        r"killing time",
        r"kill(?:ing)? (?:some )?time",
        r"(?:feet|back|legs|head|knees?) (?:are|is) killing me",
        r"killer",
        r"dying (?:to|for|of laughter)",
        r"(?:literally |actually )?dying (?:here|over here|of (?:the )?(?:heat|cold|thirst|hunger))",
        r"(?:disappear|sink|vanish) (?:into|through) the (?:floor|ground)",
        r"(?:ground|floor|earth) to (?:open up|swallow me)",
        r"(?:die|disappear|vanish) (?:of|from|with) (?:embarrassment|shame|cringe)",
        # animals and plants scratch: "the cat scratched my arm"
        (
            r"(?:cat|dog|kitten|puppy|baby|thorns?|brambles?|branch|nettles?|rose|bush) (?:\w+ )?(?:scratched|bit|nipped|"
            r"stung|cut|caught) (?:my|me)"
        ),
        (
            r"(?:beat|punch|hit|kick|thump)\w* each other(?: up)?[^.?!]{0,30}?(?:in fun|for fun|playing|messing|as kids|"
            r"like siblings do|play-?fight\w*)"
        ),
        r"to die for",
        r"die (?:of|from) (?:embarrassment|laughter|laughing|boredom)",
        r"dead (?:tired|serious|end|line|on|nervous|easy|set|right|good|funny|boring|quiet|beat|last)",
        r"drowning in (?:\w+ )?(?:emails?|work|paperwork|debt|laundry|admin|meetings|deadlines|stuff|things)",
        r"(?:sick|bored|scared|worried|frightened) to death",
        r"to death of",
        r"deadline",
        r"hit (?:me|him|her|them|you) up",
        r"hit it off",
        r"(?:it|that|this|reality|the news|the grief|the loss) (?:\w+ )?(?:hit|hits) me",
        r"hit me (?:hard|like)",
        r"(?:shoot|shot) (?:me|him|her|you) (?:an? )?(?:email|message|text|line)",
        r"crack(?:ed|ing)? (?:a )?(?:joke|up|open|on)",
        r"cracked",
        r"crack of dawn",
        r"beat (?:me|us|them|him|her) (?:at|to)(?! death)",
        # sport scores and results: "we beat them three nil", "they beat us in the final"
        (
            r"beat (?:me|us|them|him|her|the \w+) (?:by )?(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)"
            r"(?:[- ](?:nil|nothing|zero|love|\d+|one|two|three|four|five|six)| goals?| points?| runs?| wickets?)"
        ),
        r"beat (?:me|us|them|him|her) (?:in|at) (?:the )?(?:final|semi\w*|match|game|league|cup|race|quiz|derby)",
        # "dead" as an intensifier: "dead chuffed", "dead proud"
        (
            r"dead (?:chuffed|pleased|proud|happy|excited|keen|lucky|jealous|busy|cute|nice|hard|simple|cold|hot|heavy|"
            r"slow|fast|late|early|sure|certain|against|posh|bad|dull|common|handy|popular|loud|sweet|brilliant|"
            r"annoying|stressful|nervous|excited|friendly|expensive|cheap|good at|clever|smart|sound|rude|weird|odd|"
            r"strict|calm|chilled|fit|close|near|straight|ahead|centre|center|giveaway|heat|ringer|wood|weight|zone|"
            r"battery|phone|leg|lift)"
        ),
        # everyday accidents: "I cut my finger chopping onions", "burned my tongue on the soup"
        (
            r"(?:i|i've|he|she|he's|she's|we|they|you) (?:\w+ )?(?:cut|burn(?:ed|t)?|scald(?:ed)?|nick(?:ed)?|sliced|"
            r"trapped|stubbed|bashed|banged|jammed) (?:my|his|her|their|your) (?:finger|thumb|hand|foot|toe|lip|chin|tongue|mouth|knee|elbow|shin|head)s? (?:\w+ ){0,2}"
            r"(?:on|while|when|chopping|slicing|cooking|shaving|opening|with the|in the (?:door|drawer|car door)|"
            r"making|baking|ironing|cutting|doing|at work|playing|getting)"
        ),
        # a thing, not a person, "will kill" someone: "the heating bill will kill us", "this commute is killing me"
        (
            r"(?:bills?|rent|mortgage|prices?|costs?|heating|heat|cold|weather|humidity|traffic|commute|job|work|workload|"
            r"exams?|deadlines?|hangover|diet|gym|stairs|hill|shifts?|noise|waiting|suspense|queue|drive|journey|"
            r"overtime|paperwork|this|that|it|the \w+ bill) (?:\w+ )?(?:will|'ll|is going to|'s going to|is gonna|gonna|"
            r"would|might|could|'d) (?:actually |literally |honestly |probably )?kill (?:me|us|him|her|them)"
        ),
        # a joke marked as a joke: "I'm going to strangle my brother if he borrows my car again, ha"
        (
            r"(?:strangle|throttle|kill|murder|kill)\w* [^.?!]{0,60}?(?:\bha\b|\bhaha\w*|\blol\b|(?<!not )(?<!n't )"
            r"\bjoking\b|(?<!not )(?<!n't )\bkidding\b|\((?:laughs?|laughing|laughter)\)|\[(?:laughs?|laughing|laughter)\])"
        ),
        # food and drink cravings, performances: "I could murder a pizza"
        (
            r"(?:murder|kill|destroy|demolish|smash|annihilate)(?:ed|ing)? (?:a|an|some|the|that|this) (?:\w+ )?(?:pizza|"
            r"curry|burger|drink|pint|beer|coffee|takeaway|kebab|sandwich|meal|plate|bottle of wine|cuppa|tea|brew|chips|"
            r"chocolate|cake|workout|exam|test|interview|presentation|song|karaoke|gig|set|speech|fry-up|roast|steak)"
        ),
        r"kicked (?:me|us) out of (?:the )?(?:game|group)",
        r"(?:bottle|bottled) (?:it|things|feelings|them) up",
        r"blackout (?:curtains|blinds)",
        r"the point of (?:the|this) (?:meeting|exercise|email|project)",
        r"point of view",
        (
            r"(?:going to|gonna|will|'ll) kill me (?:if|when|for)(?! (?:i|she|we) (?:ever )?(?:leave|left|go|tell|told|"
            r"report|call|try|tried|walk out|speak|talk))"
        ),
        r"(?:the )?death of me",
        r"dying of (?:curiosity|laughter|boredom|embarrassment|thirst|hunger)",
        r"(?:die|kill) for an? \w+",
        (
            r"(?:phone|battery|laptop|plants?|car|flowers?|tv|telly|printer|fridge|engine|torch|remote|headphones|"
            r"conversation|party|meme|show|series|trend|joke|mood|vibe)(?:'s| is| was| has| had)?(?: (?:about|going) to| "
            r"gonna| just| finally| totally| completely| already)? (?:dying|dead|died|die)"
        ),
        r"cut (?:myself|me|him|her|you) (?:a|some) (?:slice|piece|break|slack)",
        r"hurt (?:his|her|their|my|your) feelings",
        r"push(?:es|ed)? (?:him|her|them) to",
        r"what'?s the point of (?:the|this|that) (?:meeting|exercise|email|project|rule)",
        r"abuse of (?:power|the system|process)",
        r"(?:slap|slapped) (?:together|on)",
        r"smash(?:ed)? (?:it|that)",
        r"attack(?:ed)? (?:the|this) (?:problem|task)",
        r"pins and needles",
        r"push(?:es|ed)? (?:me|us) to",
        r"(?:knock|knocked) (?:it|them) out",
    ]
)

STRENGTH_CONFIDENCE = {"explicit": 0.9, "indirect": 0.6, "context": 0.5, "broad": 0.35, "model": 0.3}
# Words that make a cue hypothetical or reported rather than a first-hand statement (kept as data).
HYPOTHETICAL = compile_cues([r"if", r"what if", r"imagine", r"suppose", r"hypothetically", r"would you ever"])
REPORTED = compile_cues(
    [
        r"(?:he|she|they) (?:said|says|told|tells)",
        r"told me (?:that )?(?:he|she|they)",
        r"(?:my )?(?:friend|sister|brother|mom|dad|cousin|coworker)(?: said| says| told)",
    ]
)
DENIAL = compile_cues([r"den(?:y|ies|ied)"])
