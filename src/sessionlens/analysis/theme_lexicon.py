"""Curated theme lexicons, named the way a clinician would name them.

Each theme is a handful of word patterns (stems and common phrasings). They are matched on whole
words, case-insensitively; a theme's name is what the reports print.
"""

from __future__ import annotations

from .textcues import compile_cues

_THEMES: dict[str, list[str]] = {
    "work": [r"work(?:ing|ed|s)?", r"jobs?", r"boss", r"manager", r"office", r"meetings?", r"promot\w*", r"career",
             r"colleagues?", r"co-?workers?", r"team", r"deadlines?", r"inbox", r"salary", r"fired", r"laid off",
             r"shift", r"clients?", r"overtime", r"workload"],
    "sleep": [r"sleep\w*", r"slept", r"insomnia", r"awake", r"wak(?:e|es|ing) up", r"woke", r"tired", r"exhausted",
              r"bed(?:time)?", r"nightmares?", r"naps?", r"rested", r"wiped"],
    "a parent": [r"mom", r"mum", r"mother", r"dad", r"father", r"parents?", r"stepmom", r"stepdad", r"stepfather",
                 r"stepmother", r"mommy", r"daddy"],
    "siblings and family": [r"sisters?", r"brothers?", r"siblings?", r"family", r"cousins?", r"nephews?", r"nieces?",
                            r"aunt", r"uncle", r"grand(?:ma|pa|mother|father|parents)"],
    "partner and relationship": [r"wife", r"husband", r"partner", r"girlfriend", r"boyfriend", r"marriage",
                                 r"married", r"divorce\w*", r"dating", r"breakup", r"broke up", r"relationship"],
    "children and parenting": [r"kids?", r"children", r"son", r"daughter", r"baby", r"parenting", r"toddler",
                               r"teenager", r"school run", r"custody"],
    "friendship and loneliness": [r"friends?", r"friendships?", r"lonely", r"loneliness", r"alone", r"isolated",
                                  r"no one to talk to"],
    "alcohol": [r"alcohol", r"drink(?:ing|s)?", r"drank", r"drunk", r"wine", r"beer", r"vodka", r"whisk(?:e)?y",
                r"booze", r"bottle", r"hangover", r"sober\w*", r"a glass"],
    "drugs": [r"drugs?", r"weed", r"cannabis", r"marijuana", r"pills", r"cocaine", r"heroin", r"opioids?", r"high",
              r"stoned", r"using"],
    "grief and loss": [r"died", r"death", r"dead", r"funeral", r"grie(?:f|ving|ve)", r"loss", r"lost (?:him|her|them|my)",
                       r"passed away", r"miss (?:him|her|them)", r"gone", r"mourning", r"widow\w*"],
    "guilt and shame": [r"guilt\w*", r"ashamed", r"shame", r"regret\w*", r"my fault", r"blame myself"],
    "self-worth": [r"not (?:good )?enough", r"failure", r"worthless", r"useless", r"proud", r"graded", r"judged",
                   r"confidence", r"imposter", r"don'?t (?:really )?know what i'?m doing"],
    "anxiety and worry": [r"anxi\w*", r"worr\w*", r"panic\w*", r"nervous", r"stress\w*", r"overwhelm\w*", r"on edge",
                          r"scared", r"afraid", r"drowning", r"racing thoughts", r"keeps running"],
    "low mood": [r"depress\w*", r"sad", r"sadness", r"feel(?:ing)? (?:down|low)", r"hopeless\w*", r"empty", r"numb",
                 r"crying", r"cried", r"what'?s the point"],
    "anger and conflict": [r"ang(?:er|ry)", r"furious", r"mad at", r"snapp?ed", r"yell\w*", r"argu\w*", r"fight\w*",
                           r"fought", r"conflict", r"irritab\w*", r"short with"],
    "health and body": [r"health", r"doctor", r"hospital", r"pain", r"illness", r"sick", r"diagnos\w*", r"medication",
                        r"heart attack", r"surgery", r"headaches?"],
    "exercise and routine": [r"exercis\w*", r"run(?:ning)?", r"gym", r"walks?", r"climbing", r"yoga", r"routine",
                             r"habits?", r"schedule", r"calendar"],
    "eating and food": [r"eat(?:ing)?", r"ate", r"food", r"meals?", r"appetite", r"diet\w*", r"weight", r"binge\w*"],
    "money": [r"money", r"debt", r"rent", r"bills?", r"afford", r"paid", r"pays?", r"broke", r"finances?", r"mortgage"],
    "school and study": [r"school", r"college", r"university", r"exams?", r"grades", r"homework", r"class(?:es)?",
                         r"teachers?", r"studying"],
    "therapy itself": [r"therapy", r"this session", r"coming here", r"come here", r"in here", r"last time",
                       r"lectured", r"counsell?ing"],
}

THEMES = {name: compile_cues(patterns) for name, patterns in _THEMES.items()}
THEME_NAMES = tuple(THEMES)
