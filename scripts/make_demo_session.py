#!/usr/bin/env python3
"""Generate the bundled demo session: src/sessionlens/data/demo_session.vtt.

The session is entirely fictional and was written for sessionlens. Nobody in it
is a real person: "Helen Varga" is a counselor, "Daniel" an adult client in his
second session. It runs about 15 minutes.

Each line of DIALOGUE is (speaker, pause_before_s, text[, duration_s]):

* pause_before_s is the gap between the end of the talk so far and the start of
  this utterance; a negative value makes it overlap the previous cue (a
  backchannel or an interruption).
* duration_s is optional; when omitted it is computed from the word count at a
  speaking rate drawn from 140-160 wpm with a fixed seed, so the output is
  deterministic. Stage directions such as "[laughs]" add a little time but are
  not words.

Run:  python scripts/make_demo_session.py
"""

from __future__ import annotations

import random
import re
from pathlib import Path

SEED = 20240517
START_OFFSET_S = 1.2
OUT = Path(__file__).resolve().parent.parent / "src" / "sessionlens" / "data" / "demo_session.vtt"

H = "Helen Varga"  # counselor
D = "Daniel"  # client

DIALOGUE: list[tuple] = [
    # --- Opening check-in and agenda -------------------------------------------------
    (H, 0.0, "Hi Daniel, come on in."),
    (D, 0.8, "Thanks. Sorry I'm a few minutes late, traffic on the bridge was awful."),
    (H, 0.5, "No problem. How are you doing today?"),
    (D, 1.1, "Honestly? Tired. It's been a long week."),
    (H, 0.4, "A long week. Tell me about it."),
    (D, 0.9, "Just work, mostly. And I haven't been sleeping great. Same stuff as last time, I guess."),
    (H, 0.6, "Okay. Last time was mostly forms. You mentioned work, sleep, your mom, and your friend "
             "Tom. Where do you want to start?"),
    (D, 1.0, "Probably work. That's the thing eating most of my day."),
    (H, 0.5, "Good. Let's save a few minutes at the end for a plan. Okay?"),
    (D, 0.4, "Yeah, that works."),
    (H, 0.6, "What would make today worth the drive for you?"),
    (D, 1.2, "I don't know. Feeling like I'm not just drowning, maybe. Having some kind of handle on it."),
    (H, 0.5, "Some kind of handle on it. So what's happening at work?"),
    # --- Work stress after the promotion -----------------------------------------------
    (D, 0.9, "So in March I got promoted to team lead. Which I wanted, I applied for it. But now I've "
             "got eight people reporting to me, and half of them were my friends a month ago. I'm in "
             "meetings from nine to five, and the actual work I end "
             "up doing at night. My manager keeps telling me I'm doing great, but it doesn't feel like "
             "that. It feels like I'm always behind, like I'm just waiting for somebody to notice I "
             "don't really know what I'm doing."),
    (H, -0.7, "Mm-hm.", 0.6),
    (H, 0.6, "So on paper it's a success, and inside you're barely keeping your head up."),
    (D, 0.5, "Yeah. Exactly that."),
    (H, 0.5, "What's the hardest part of it?"),
    (D, 1.2, "The people part, I think. Telling Kevin his report wasn't good enough, when we used to get "
             "lunch together every Friday. He just looked at me like I'd switched sides. I hate that."),
    (H, 0.6, "You care about being fair to them, and about those friendships."),
    (D, 0.7, "I do. Maybe too much. My last manager didn't care about anyone, and I swore I'd never be "
             "like him."),
    (H, 0.5, "That says a lot about the lead you want to be."),
    (D, 0.6, "[laughs] Tell that to my inbox."),
    (H, 0.7, "How many hours are you working, roughly?"),
    (D, 0.9, "Fifty-five? Sixty, some weeks."),
    (H, 0.4, "Weekends too?"),
    (D, 0.5, "Sunday evenings, usually. Getting ready for Monday."),
    (H, 0.6, "That's a lot of hours with no off switch."),
    (D, 0.5, "Yeah."),
    (H, 0.7, "Could you hand anything off to the team?"),
    (D, 1.0, "In theory. But it's faster to just do it myself, and they're already stretched."),
    (H, 0.5, "You protect them, even when it costs you your evenings."),
    (D, 0.9, "I guess so. And the stupid thing is, I used to love this "
             "job. I was good at the actual work. Now I mostly move meetings around."),
    (H, 0.6, "You miss being good at something you could see."),
    (D, 0.7, "Yeah. I really do."),
    # --- Sleep -------------------------------------------------------------------------
    (H, 0.8, "You said sleep's been hard. What's a typical night like?"),
    (D, 1.1, "I get home around seven, eat something, open the laptop again. Around ten I'll stop, pour "
             "a glass of wine, watch something. Then I go to bed around midnight and just lie there. My "
             "head keeps running through tomorrow's meetings."),
    (H, 0.6, "So your body's in bed, but your mind's still at the office."),
    (D, 0.5, "Pretty much. And then I wake up at like three-thirty and that's it, I'm awake."),
    (H, 0.4, "Every night?"),
    (D, 0.8, "Four or five nights a week, maybe."),
    (H, 0.6, "How are you during the day after nights like that?"),
    (D, 0.9, "Foggy. Short with people. I snapped at my sister on the phone last week and she really "
             "didn't deserve it."),
    (H, 0.6, "So the tiredness spills into everything, even the people you're close to."),
    (D, 0.4, "It does."),
    # --- Evening drinking: early advice and the yes-but chain ---------------------------
    (H, 0.8, "You mentioned wine. Tell me more about the drinking in the evenings."),
    (D, 1.0, "It's not a big deal. It's just a glass or two to wind down."),
    (H, 0.5, "A glass or two most nights?"),
    (D, 1.1, "Most nights. Some nights it's more like half the bottle. Okay, sometimes the whole bottle, "
             "on a bad day."),
    (H, 0.6, "How does that compare to a year ago?"),
    (D, 0.9, "A year ago I barely drank during the week. It's been more since the promotion. And since "
             "Tom."),
    (H, 0.5, "So it's crept up these last few months."),
    (D, 0.6, "I guess."),
    (H, 0.7, "You know, the wine is probably what's waking you at three-thirty. You should cut it out "
             "during the week."),
    (D, 0.6, "Yeah, but it's the only thing that helps me unwind. Without it I'd just be lying there "
             "even longer."),
    (H, 0.5, "What about a walk after dinner instead?"),
    (D, 0.5, "Yeah, but by the time I close the laptop it's dark and I'm wiped."),
    (H, 0.5, "Or stopping work earlier? Say by eight?"),
    (D, 0.4, "Yes, but then the work doesn't get done. It's not like it just goes away."),
    (H, 0.6, "I hear that. I just think if the wine went, the sleep would follow, so—"),
    # --- Rupture and repair -------------------------------------------------------------
    (D, -0.6, "I don't know why we keep going back to this. I came in to talk about work, and honestly I "
              "kind of feel like I'm getting lectured."),
    (H, 4.5, "You're right. I got ahead of you, telling you what to do before I understood your "
             "evenings. Thanks for saying so."),
    (D, 0.8, "It's fine."),
    (H, 0.7, "Sounds like maybe it's not completely fine. What was that like, just now?"),
    (D, 1.2, "[sighs] It felt like my mom, to be honest. Like I'm being graded. Which probably isn't "
             "fair to you."),
    (H, 0.6, "I'd much rather know. It's your call what, if anything, changes with the wine. Can we set "
             "it aside for now?"),
    (D, 0.7, "Yeah. Okay. Thanks."),
    # --- Mother ---------------------------------------------------------------------------
    (H, 0.8, "You mentioned your mom just now. Feeling graded."),
    (D, 0.9, "Yeah. She calls every day, pretty much, and every call is some kind of review. Am I "
             "eating properly, why haven't I visited, my cousin just bought a house. When I told her "
             "about the promotion, the first thing she asked was whether it paid more than my cousin's "
             "job. Not congratulations. That was it. And then I feel like I'm twelve again. She doesn't even "
             "have to say anything mean, it's the tone. I'm thirty-eight, I run a team, and one phone "
             "call and I'm twelve."),
    (H, -0.5, "Mm.", 0.4),
    (H, 0.7, "Part of you is still waiting for her to say she's proud of you."),
    (D, 5.0, "I've never really thought of it like that. But yeah. I think I still am."),
    (H, 0.6, "What would it mean if it came?"),
    (D, 1.2, "That I'm doing okay, I guess. That I'm enough. That sounds so dramatic out loud."),
    (H, 0.5, "It doesn't sound dramatic to me. It sounds important."),
    (D, 1.1, "Some days I don't pick up. Then I feel guilty and call her back at ten at night with a "
             "glass in my hand. Probably not the best idea."),
    (H, 0.6, "So the calls and the evenings get tangled together."),
    (D, 0.8, "Yeah. Huh. They do."),
    (H, 0.5, "How often do you see her?"),
    (D, 0.7, "Once a month. My sister Claire goes more often. Claire's better with her. She just lets "
             "it roll off her somehow."),
    (H, 0.5, "How are things with Claire?"),
    (D, 0.8, "Good. Claire's great, actually. She's the one who told me to come here. I owe her a call "
             "after last week."),
    (H, 0.5, "She's really in your corner."),
    (D, 0.4, "She is. She always has been."),
    # --- Grief for Tom, passive risk statement, safety check ------------------------------
    (H, 0.9, "You said the drinking picked up after Tom. Can we talk about him a little?"),
    (D, 1.5, "Yeah. He died in February. Heart attack. He was forty-one. We'd been friends since "
             "university, we used to go climbing every other weekend. He called me the week before and "
             "I said I was swamped, let's do it next month. And then his wife called on a Tuesday "
             "morning, and that was it. I went to the funeral, I said a few words, and I was back at "
             "work on Thursday because we had a launch. I don't think I've really stopped since."),
    (H, 7.5, "I'm so sorry, Daniel. That's a huge loss."),
    (D, 0.9, "Thanks."),
    (H, 0.8, "And you've carried it while running a brand new team, barely stopping."),
    (D, 1.0, "Yeah. Some days I forget, and then I go to text him something stupid, and I remember. "
             "His climbing shoes are still in my car. I can't bring myself to give them back."),
    (H, 0.6, "Those moments catch you off guard."),
    (D, 0.9, "They do. And I keep thinking about that phone call. I said next month. There wasn't a "
             "next month."),
    (H, 0.8, "You wish you'd said yes."),
    (D, 4.0, "Every day."),
    (H, 0.9, "A lot of grief, and some guilt tangled in with it."),
    (D, 1.3, "Yeah. And honestly, some nights, sitting there with the wine, I wonder what the point of "
             "any of it is. The work, the meetings. Tom did everything right and he's just gone."),
    (H, 1.2, "Thank you for telling me. I want to ask directly: have you had any thoughts of ending "
             "your life, or of killing yourself?"),
    (D, 1.1, "No. No, not like that. It's more tired. Like, what's it all for."),
    (H, 0.6, "Have you ever made a plan, or thought about how you'd do it?"),
    (D, 0.8, "No. Never. I wouldn't. I couldn't do that to Claire, or to my nephews. And Tom's wife has "
             "been through enough."),
    (H, 0.7, "Claire, your nephews, Tom's family. They matter a lot to you."),
    (D, 0.6, "They do. And I want things to get better. I wouldn't be sitting here otherwise."),
    (H, 0.7, "I'm glad you're here. If those thoughts ever get stronger, tell me, or call the crisis "
             "line any hour. Can we agree on that?"),
    (D, 0.6, "Yeah. I can do that."),
    (H, 0.6, "Good. I'll check in about it now and then, so it stays something we can talk about."),
    (D, 0.5, "That's fair."),
    # --- Here-and-now ---------------------------------------------------------------------
    (H, 1.0, "What's it like, talking about this with me right now?"),
    (D, 6.0, "Weird. Good weird, I think. I haven't said any of this out loud. Not even to Claire."),
    (H, 0.7, "You're letting me in on things you've carried on your own."),
    (D, 0.8, "Yeah. I didn't expect to, after I snapped at you earlier."),
    (H, 0.6, "I noticed. You told me when something didn't sit right, and we kept going. That takes "
             "courage."),
    (D, 0.9, "Maybe. It's easier here than with my mom, that's for sure."),
    # --- Change talk; information with permission -----------------------------------------
    (H, 0.9, "You brought the evenings up yourself. Where do you want to go with that?"),
    (D, 1.3, "I think I need to do something about the sleep. I can't keep running on four hours."),
    (H, 0.5, "What would you like to be different?"),
    (D, 1.0, "I want to actually wake up rested. And I could probably stop working at a set time. I "
             "know I could, I just don't."),
    (H, 0.6, "You know you could, and part of you is ready to try."),
    (D, 0.8, "Yeah. And maybe the wine. Not stopping, just less. I used to run in the mornings, before "
             "all this. I'd like to get back to that."),
    (H, 0.5, "What did running give you?"),
    (D, 0.9, "A clear head. Tom used to say I was a nicer person after a run."),
    (H, 0.8, "Would it help if I shared something about alcohol and sleep?"),
    (D, 0.5, "Sure. Go ahead."),
    (H, 0.6, "Alcohol helps you fall asleep, which is why it feels like it works. But as it wears off, "
             "the second half of the night gets lighter and more broken. That's often when people wake "
             "at three or four. What do you make of that?"),
    (D, 1.2, "That's exactly my three-thirty thing. Huh. When you put it like that, it makes sense."),
    (H, 0.6, "How does that fit with nights you don't drink?"),
    (D, 1.1, "Saturdays, when I'm at Claire's, I don't drink, and I actually sleep better. I never "
             "connected it."),
    (H, 0.5, "So your own experience points the same way."),
    (D, 0.9, "Yeah. Okay. I'm going to try a couple of nights without it. Not the whole week. Two "
             "nights."),
    (H, 0.4, "Two nights feels doable."),
    (D, 0.4, "Two nights I can do."),
    # --- Plan, homework, next session, ending ---------------------------------------------
    (H, 0.7, "Let's make it concrete. Which two nights?"),
    (D, 0.9, "Tuesday and Thursday. Those are my lighter days."),
    (H, 0.5, "And for the sleep itself?"),
    (D, 1.0, "Laptop closed by nine. No screens in the bedroom. Maybe read something instead."),
    (H, 0.6, "From one to ten, how confident are you about nine o'clock?"),
    (D, 1.1, "Maybe a six. Nine o'clock is going to be hard on launch weeks."),
    (H, 0.5, "Six is a solid start. What would make it a seven?"),
    (D, 1.0, "If I put it in my calendar. Like an actual meeting, called stop."),
    (H, 0.5, "I like that, a meeting with yourself. And Claire?"),
    (D, 0.8, "I'm going to call her this weekend. Apologize for last week. Maybe tell her a bit about "
             "Tom, too."),
    (H, 0.5, "That sounds like an important call."),
    (D, 0.4, "Yeah. It'll be good."),
    (H, 0.7, "And your mom? Anything this week, or leave it for next time?"),
    (D, 0.9, "Leave it. That one's bigger."),
    (H, 0.5, "Makes sense. We'll come back to it."),
    (H, 0.6, "So: laptop closed by nine, no screens in bed, Tuesday and Thursday without wine, and "
             "calling Claire. Anything missing?"),
    (D, 0.7, "No, that's it."),
    (H, 0.5, "And if the nights get really heavy, you'll reach out."),
    (D, 0.4, "I will."),
    (H, 0.6, "Next Wednesday, same time, four o'clock?"),
    (D, 0.7, "Yeah, Wednesday at four works."),
    (H, 0.6, "You did a lot of hard work today, Daniel. Talking about Tom, telling me when I got it "
             "wrong. Thank you."),
    (D, 0.8, "Thanks. I actually feel a bit lighter. Which I didn't expect."),
    (H, 0.5, "I'm glad. Take care of yourself, and I'll see you Wednesday."),
    (D, 0.4, "See you Wednesday. Thanks, Helen."),
]

STAGE = re.compile(r"\[[^\]]*\]")


def word_count(text: str) -> int:
    return len(STAGE.sub(" ", text).split())


def speaking_time(text: str, rng: random.Random) -> float:
    wpm = rng.uniform(140.0, 160.0)
    seconds = word_count(text) * 60.0 / wpm
    seconds += 0.9 * len(STAGE.findall(text))  # a laugh or sigh takes a moment
    return max(seconds, 0.5)


def timestamp(seconds: float) -> str:
    ms = int(round(seconds * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def build_cues() -> list[tuple[float, float, str, str]]:
    rng = random.Random(SEED)
    cues = []
    cursor = START_OFFSET_S  # end of all talk so far
    last_start = 0.0
    for entry in DIALOGUE:
        speaker, pause, text = entry[:3]
        duration = entry[3] if len(entry) > 3 else speaking_time(text, rng)
        start = max(cursor + pause, last_start + 0.1)
        end = start + duration
        cues.append((start, end, speaker, text))
        cursor = max(cursor, end)
        last_start = start
    return cues


def render(cues) -> str:
    lines = ["WEBVTT", "", "NOTE Fictional demo session written for sessionlens. No real people.", ""]
    for start, end, speaker, text in cues:
        lines += [f"{timestamp(start)} --> {timestamp(end)}", f"<v {speaker}>{escape(text)}", ""]
    return "\n".join(lines)


def main() -> None:
    cues = build_cues()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(render(cues), encoding="utf-8")
    print(f"wrote {OUT} ({len(cues)} cues, {timestamp(cues[-1][1])})")


if __name__ == "__main__":
    main()
