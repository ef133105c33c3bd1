"""Risk-language cues per category. Written to favour recall: a clinician reviews every hit.

Each cue has a strength: ``explicit`` (names the act: "kill myself"), ``indirect`` (common ways of
saying it without naming it: "what's the point of any of it"), or ``context`` (plan / means words that
only count near another suicidal-ideation cue: "made a plan"). Idioms that borrow the words
("killing it at work", "this traffic is killing me") are listed in ``IDIOMS`` and suppress any cue
they overlap.
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

_SELVES = r"(?:my|him|her|them|your|our)sel(?:f|ves)|themself|oneself"
_PEOPLE = (
    r"(?:him|her|them|you|someone|somebody|anyone|people|everyone|my (?:boss|wife|husband|partner|dad|father|"
    r"mom|mum|mother|brother|sister|son|daughter|neighbou?r|kids?|children|baby|ex|girlfriend|boyfriend|"
    r"roommate|coworker|colleague|manager|stepdad|stepmom)|the (?:kids?|children|baby))"
)

_CUES: dict[str, dict[str, list[str]]] = {
    SUICIDAL_IDEATION: {
        "explicit": [
            r"suicid\w*",
            r"kms",
            r"kill(?:s|ed|ing)? (?:" + _SELVES + r")",
            r"end(?:s|ed|ing)? (?:my|his|her|their|your|one's) (?:own )?li(?:fe|ves)",
            r"end(?:ing)? it all",
            r"end(?:ing)? things",
            r"tak(?:e|es|ing|en) (?:my|his|her|their|your) (?:own )?li(?:fe|ves)",
            r"(?:want|wanted|wanting|wants) to (?:die|be dead|not exist)",
            r"better off dead",
            r"rather (?:be|have been) dead",
            r"hang(?:ing)? (?:" + _SELVES + r")",
            r"shoot(?:ing)? (?:" + _SELVES + r")",
            r"gun to my head",
            r"jump(?:ing)? (?:off|in front of)",
            r"tak(?:e|ing) (?:all|a bunch) (?:of )?(?:my |the |those )?pills",
            r"death wish",
            r"thoughts (?:of|about) (?:death|dying|ending)",
            r"(?:not|never) (?:to )?wak(?:e|ing) up",
            r"(?:wrote|write|writing|left) (?:a |my )?(?:suicide )?(?:note|goodbye letter)",
            r"stockpil\w*",
            r"how many (?:pills|tablets) (?:it would take|to take|would kill)",
            (
                r"(?:drive|driving|drove|crash|crashing|crashed|steer\w*) (?:my car |the car )?into (?:a|the|on\w*) "
                r"(?:wall|tree|traffic|truck|lorry|river|bridge)"
            ),
            r"(?:step|stepping|stepped|jump|jumping|throw myself) (?:out )?in front of (?:a |the )?(?:train|bus|car|traffic)",
        ],
        "indirect": [
            r"(?:don'?t|do not|didn'?t) want to (?:be alive|live|be here|be around|exist|go on|wake up)(?: anymore| any more)?",
            r"(?:not )?want(?:ing)? to be alive",
            r"(?:wish|wished|wishing) (?:i|he|she) (?:was|were|wasn'?t|weren'?t|had never been) (?:dead|gone|here|born|alive)",
            r"(?:wish|wished) i could (?:disappear|vanish|die|just stop|sleep forever)",
            r"better off without me",
            r"no (?:reason|point) (?:to|in) (?:living|live|being alive|going on|carrying on|trying)",
            r"what(?:'?s| is)? the point(?: of (?:it all|any of it|anything|living|life|going on|trying))?",
            r"what(?:'?s| is) (?:it|this|any of it) all for",
            r"can'?t (?:go on|keep going|do this anymore|take it anymore)",
            r"tired of (?:living|life|being alive|everything)",
            (
                r"(?:a|such a) burden (?:to|on) (?:everyone|everybody|"
                r"them|my family|people)"
            ),
            r"nothing (?:left )?to live for",
            (
                r"life (?:isn'?t|is not|is no longer|"
                r"doesn'?t feel) worth (?:living|it)"
            ),
            r"not (?:be|being) (?:around|here) anymore",
            r"disappear (?:forever|for good)",
            r"giv(?:e|en|ing) up on (?:life|everything|living)",
            r"(?:go|gone) to sleep forever",
            r"(?:didn'?t|don'?t|won'?t|wouldn'?t) (?:ever )?wake up",
            r"(?:if|when) i (?:just )?(?:wasn'?t|weren'?t|was not|were not) (?:around|here|alive)",
            r"(?:won'?t|not|n't|no longer) be (?:around|here) (?:much |for )?(?:longer|long|anymore)",
            r"(?:about|of) not (?:being|be) (?:here|around|alive)",
            r"(?:would|'d) be (?:fine|better|happier|okay) without me",
            r"(?:even )?(?:the )?point (?:of|in) (?:any of it|it all|anything|living|life|going on|being here)",
            r"never been born",
            r"no reason to (?:keep (?:going|trying|living)|go on|carry on|live|be here|stay)",
            r"giv(?:e|es|ing|en) (?:away )?(?:all )?(?:my|his|her) (?:things|stuff|belongings|possessions)",
            r"want (?:everything|it all|it|the pain) to stop(?:,)? (?:permanently|forever|for good)",
            r"(?:don'?t|do not) care (?:if|whether) i (?:live|die|wake up)",
        ],
        "context": [
            r"(?:made|make|have|had|has) a plan",
            r"how (?:you|i|you'd|i'd)(?: would)? do it",
            r"stockpil\w*",
            r"access to (?:pills|a gun|guns|firearms|weapons|medication)",
            r"wrote (?:a|the) (?:note|letter)",
            r"giv(?:e|ing) (?:away )?(?:my|your) (?:things|stuff|belongings) away",
            r"said (?:my )?goodbyes?",
            r"rehears\w*",
            r"(?:thought|thoughts|thinking) (?:like that|about it) (?:before|again)",
            r"(?:going to|gonna|will|'ll) do it (?:this|tonight|tomorrow|on|soon|when|before|after)",
            r"(?:i'?ve|i have|i) decided (?:when|how|where|to do it)",
        ],
    },
    SELF_HARM: {
        "explicit": [
            r"(?:cut|cuts|cutting|burn|burns|burned|burning|hurt|hurts|hurting|harm|harms|harmed|harming|hit|"
            r"hitting|punch|punched|punching|scratch|scratched|scratching|starve|starved|starving|bite|bit|biting|"
            r"punish|punished|punishing|injure|injured|injuring) (?:" + _SELVES + r")",
            r"self[- ]?harm\w*",
            r"self[- ]?injur\w*",
            r"self[- ]?mutilat\w*",
            r"cutting again",
            r"razor(?:s| blades?)?",
            r"slit(?:ting)? (?:my |his |her )?wrists?",
            r"bang(?:ed|ing)? my head",
            r"scars? on my (?:arms?|legs?|wrists?|thighs?)",
            r"(?:started|start|stop|stopped|not|no longer|quit) cutting(?! (?:back|down|corners|the|my hair|it|out|off|ties))",
            (
                r"(?:bit(?:e|ing)?|scratch(?:ing|ed)?|cut(?:ting)?|burn(?:ing|ed)?|hit(?:ting)?|punch(?:ing|ed)?|carv(?:e|ed|ing)) "
                r"my (?:own )?(?:arms?|wrists?|legs?|thighs?|skin|stomach|face)"
            ),
        ],
        "indirect": [
            r"deserve (?:the|to feel) pain",
            r"make (?:myself|me) bleed",
            r"feel the pain instead",
            r"(?:pull|pulling|pulled) (?:out )?my hair",
            r"(?:hide|hiding|cover|covering) (?:the )?(?:marks|scars|cuts)",
        ],
    },
    HARM_TO_OTHERS: {
        "explicit": [
            r"(?:kill|hurt|stab|shoot|strangle|choke|murder|attack|smash|beat|beat up|beat the crap out of) "
            + _PEOPLE,
            r"(?:kill(?:s|ed|ing)|hurting|stab(?:s|bed|bing)|shoot(?:s|ing)|shot|strangl(?:es|ed|ing)|chok(?:es|ed|ing)|"
            r"murder(?:s|ed|ing)|attack(?:s|ed|ing)|punch(?:es|ed|ing)?|smash(?:ed|ing)|beat(?:s|ing)|push(?:ed|ing)|"
            r"shov(?:e|ed|ing)|hitting|slapp(?:ed|ing)) " + _PEOPLE,
            (
                r"(?:thoughts?|urges?|fantas\w+|picturing|imagin\w+|dream\w*)(?: (?:of|about))?(?: myself)? (?:hurting|killing|"
                r"harming|stabbing|shooting|attacking|strangling)"
            ),
            r"(?:hit|punch|slap) " + _PEOPLE + r"(?! up)",
            r"homicid\w*",
            r"violent (?:thoughts|urges|fantasies)",
            r"(?:thoughts|thought|urges?) (?:of|about) (?:hurting|killing|harming) \w+",
            r"(?:want|wanted|wanting) (?:him|her|them) (?:dead|to die|to suffer)",
            r"make (?:him|her|them) pay",
            r"(?:get|got|buy|bought|have|keep) a (?:gun|knife|weapon)",
            r"shake the baby",
        ],
        "indirect": [
            r"(?:lose|lost) it and (?:hurt|hit|do something)",
            r"(?:snap|snapped) and (?:hurt|hit|do something)",
            r"(?:revenge|payback)",
            r"teach (?:him|her|them) a lesson",
            r"(?:he|she|they)'?(?:ll| will) regret it",
            r"afraid (?:of )?what i(?:'d| would| might) do(?: to (?:him|her|them))?",
            r"(?:don'?t|do not) know what i(?:'ll| will|'d| would| might) do",
        ],
    },
    ABUSE_NEGLECT: {
        "explicit": [
            (
                r"(?:hits?|hitting|beats?|beating|beaten|kick(?:s|ed|ing)?|slap(?:s|ped|ping)?|punch(?:es|ed|ing)?|"
                r"chok(?:es|ed|ing)|strangl(?:es|ed|ing)|push(?:es|ed)|shov(?:es|ed)|threw things at|throws things at|"
                r"hurt(?:s|ing)?"
                r") (?:me|us|the kids|the children|the baby|my (?:kids?|children|son|daughter|mom|mum|mother|sister|"
                r"brother))"
            ),
            r"(?<!substance )(?<!alcohol )(?<!drug )abus(?:e|ed|es|ing|ive|er)",
            r"molest\w*",
            r"rap(?:e|ed|es|ing|ist)",
            r"sexual(?:ly)? (?:assault\w*|abus\w*|harass\w*)",
            r"assault(?:ed|s)?",
            r"touch(?:ed|es|ing)? (?:me|her|him) (?:inappropriately|down there|where)",
            r"domestic (?:violence|abuse)",
            r"neglect\w*",
            (
                r"(?:left|leaves|leave|leaving) (?:me|us|the kids|the children|the baby|them) (?:home )?"
                r"(?:alone|with no food|without food)"
            ),
            r"(?:no|not enough|never any|never enough) food",
            r"(?:go|goes|going|went) (?:to school |to bed )?hungry",
            r"left (?:alone |in (?:the|a|his|her|their) (?:cot|crib|car|room) )(?:all day|all night|for hours|for days)",
            r"threaten(?:s|ed|ing)? (?:to (?:kill|hurt|hit)|me|us)",
            r"lock(?:s|ed)? (?:me|us|them) (?:in|out)",
            r"bruises?",
            r"black eye",
            r"forced (?:me|her|him|us) to",
            r"groom(?:ed|ing|s)",
            r"(?:not|don'?t feel) safe at home",
            r"child (?:protective services|services)",
            r"\bcps\b",
        ],
        "indirect": [
            (
                r"(?:afraid|scared|terrified) (?:of (?:him|her|my (?:dad|father|husband|partner|boyfriend|girlfriend|"
                r"stepdad|stepfather|mom|mother|wife))|to go home)"
            ),
            r"walk(?:ing)? on eggshells",
            r"(?:controls?|took|takes) (?:all )?(?:my|the) money",
            r"won'?t let me (?:see|leave|talk|go)",
            r"(?:get|gets|got|getting) rough",
            r"(?:yells|screams|screamed|yelled) at (?:me|us|the kids) (?:all the time|every)",
        ],
    },
    SUBSTANCE_CRISIS: {
        "explicit": [
            r"overdos\w*",
            r"od(?:'d|'ing|'ed|ed|ing)?",
            r"black(?:ed)? out",
            r"blackouts?",
            r"withdrawals?",
            r"the shakes",
            r"delirium tremens",
            r"dts",
            r"relaps(?:e|ed|es|ing)",
            r"using again",
            r"fell off the wagon",
            r"(?:drove|driving|drive|drives) (?:home )?(?:drunk|high|wasted|after drinking)",
            r"drunk driving",
            r"(?:can'?t|couldn'?t|unable to|cannot) stop (?:drinking|using)",
            r"heroin",
            r"fentanyl",
            r"meth",
            r"crack",
            r"cocaine",
            r"opioids?",
            r"oxy(?:codone|contin|s)?",
            r"shoot(?:ing)? up",
            r"needles?",
            r"detox",
            r"passed out",
            r"(?:mix|mixing|mixed) (?:pills|drugs|benzos|xanax) (?:with|and)",
            r"(?:pills|xanax|benzos) (?:with|and) (?:alcohol|booze|wine|vodka|beer|drinks?)",
        ],
        "indirect": [
            (
                r"(?:drink|drinking|drank) (?:in the morning|first thing|all day|every day|before work|at work|alone "
                r"every night)"
            ),
            r"the whole bottle",
            r"a (?:whole )?bottle (?:of \w+ )?(?:a|every|each) (?:day|night)",
            r"(?:drink\w*|using|drugs?|habit)(?:'s| has| is)? (?:\w+ ){0,2}out of (?:hand|control)",
            r"can'?t remember (?:how i got home|last night|what happened|anything)",
            r"(?:was|got|turned up|showed up|were) (?:drunk|high|wasted) (?:at|to|for|in front of|while)",
            r"need(?:ed)? a drink to (?:stop|get through|function|start)",
            r"hid(?:e|ing)? (?:the )?(?:bottles|my drinking)",
            r"binge(?: drinking|d|ing)?",
            r"drinking (?:more and more|too much|heavily|way more)",
            r"(?:high|stoned|drunk|wasted) (?:every day|all the time|every night)",
            r"rehab",
        ],
    },
}

# One regex per cue (not one alternation) so overlapping cues are all found and merged into one quote.
CUES = {
    cat: {strength: [compile_cues([p]) for p in ps] for strength, ps in groups.items()}
    for cat, groups in _CUES.items()
}

# One pass over the text first: most utterances hold no cue, and then the per-cue regexes are skipped.
PREFILTER = compile_cues([p for groups in _CUES.values() for ps in groups.values() for p in ps])

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

STRENGTH_CONFIDENCE = {"explicit": 0.9, "indirect": 0.6, "context": 0.5, "broad": 0.35}
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
