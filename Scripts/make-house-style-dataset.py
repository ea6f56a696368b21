#!/usr/bin/env python3
"""Builds Examples/training/house-style.*.jsonl: Solbit Agency's house style for the brand-voice
effect measured by `baton bench train --effect` (Documentation/Training.md).

Every answer has exactly three lines, which `HouseStyle.follows` (BatonBench) checks by rule:

    Headline: <a short headline>
    Copy: <one sentence>
    — Solbit Agency, with care

The subjects come from the agency material in Examples/knowledge, Examples/press-releases and
/work/shared/corpus (festivals, launches, programmes of the clients there); the requests vary in
wording. Subjects are split three ways so that the validation examples and the held-out prompts
name subjects the training examples never do. Deterministic: `random.Random(15)`.

    python3 Scripts/make-house-style-dataset.py      # rewrites the three files
"""
import json
import pathlib
import random

SYSTEM = "You write copy in Solbit Agency's house style."
SIGN_OFF = "— Solbit Agency, with care"

# name, what it is, who it is for, a concrete detail, a benefit (lower case).
SUBJECTS = [
    ("the Hanbit Spring Flower Festival", "a ten-day festival along Hanbitcheon Stream", "families and office workers", "the Garden of Light opens at dusk", "an evening walk under the blossoms"),
    ("the Garden of Light", "a lantern garden at the Hanbit festival", "couples and families", "two thousand lanterns line the stream", "a quiet night of warm light"),
    ("Saesol University's Center for Applied Generative AI", "a new research centre", "students and local companies", "open labs run every Friday", "practical AI skills close to home"),
    ("the Aurora E2 scooter", "a folding electric scooter", "city commuters", "it folds in three seconds", "an easier ride to work"),
    ("Aurora's battery swap stations", "battery stations for scooters", "daily riders", "a swap takes under a minute", "no waiting for a charge"),
    ("Solbit Coffee's Seongsu pop-up", "a two-week coffee pop-up", "coffee lovers in Seongsu", "every cup shows its roast date", "a slow cup made with care"),
    ("Solbit Coffee's reusable cup programme", "a cup return scheme", "regular customers", "bring the cup back for a discount", "less waste with every coffee"),
    ("GreenLeaf Camellia Barrier Cream", "a vegan cream with Jeju camellia oil", "people with sensitive skin", "the oil comes from Jeju farms", "calm, comfortable skin"),
    ("GreenLeaf's refill station", "a refill counter for skincare", "people who shop with less plastic", "bottles are refilled in store", "the same cream with less packaging"),
    ("the Island Travel Pass", "one pass for island ferries", "weekend travellers", "one card covers every port", "slow days between harbours"),
    ("Badamaeul Tourism Foundation's harbour walks", "guided walks in fishing villages", "visitors and walkers", "local guides lead each walk", "stories told by the people who live there"),
    ("Onnuri Foods' winter kimchi box", "a seasonal kimchi box", "households preparing for winter", "cabbage from partner farms", "a full fridge for the cold months"),
    ("Onnuri Foods' school lunch project", "healthy school lunches", "parents and schools", "menus planned by nutritionists", "good meals for every child"),
    ("the Daon Hometown Makers programme", "a support programme for local makers", "small workshops", "mentors visit every workshop", "work made here, by hands you know"),
    ("Daon's makers market", "a weekend market of local crafts", "neighbours and visitors", "makers sell directly to buyers", "a morning among local crafts"),
    ("Hanbit City's night bus", "a late-night bus line", "shift workers", "buses run until 3 a.m.", "a safe way home after work"),
    ("Hanbit City Library's reading nights", "evening reading sessions", "readers of every age", "authors read aloud on Thursdays", "a calm evening with a book"),
    ("the Hanbitcheon cycle path", "a new riverside cycle path", "cyclists and joggers", "twelve kilometres without traffic lights", "an easy ride by the water"),
    ("Saesol University's open lecture series", "free public lectures", "curious neighbours", "one lecture every month", "new ideas without a fee"),
    ("the Solbit winter blend", "a seasonal coffee blend", "people who like a rich cup", "beans roasted in small batches", "a warm cup on cold mornings"),
    ("Aurora's rider safety class", "a free scooter safety class", "new riders", "instructors ride with every student", "confidence on busy streets"),
    ("GreenLeaf's sensitive skin guide", "a free skincare guide", "first-time buyers", "written with dermatologists", "choices made with clear facts"),
    ("the Jeju camellia harvest tour", "a farm tour in Jeju", "nature lovers", "visitors pick camellia seeds", "a day in the fields"),
    ("the Hanbit riverside night market", "an evening food market", "friends after work", "forty stalls by the stream", "good food and lights on the water"),
    ("Onnuri Foods' farm-to-table dinner", "a dinner with partner farmers", "food lovers", "each course names its farm", "a meal that knows its roots"),
    ("Badamaeul's lighthouse stay", "overnight stays in a lighthouse", "adventurous travellers", "only four rooms each night", "a night beside the sea"),
    ("the Saesol AI job fair", "a job fair for AI roles", "graduates", "thirty local companies attend", "a first step into AI work"),
    ("Hanbit City's senior digital class", "computer classes for seniors", "older residents", "volunteers teach one to one", "staying in touch with family"),
    ("the Daon pottery workshop", "weekend pottery lessons", "beginners", "every student takes a bowl home", "hands busy, mind at rest"),
    ("Solbit Coffee's roastery tour", "a tour of the roastery", "coffee fans", "tasting three roasts side by side", "knowing where each cup comes from"),
    ("Aurora's student discount", "a discount on scooters", "university students", "twenty percent off with a student card", "a lighter cost for the campus ride"),
    ("GreenLeaf's travel kit", "a small kit of skincare", "frequent travellers", "every tube fits in a pocket", "a calm routine on the road"),
    ("the Hanbit autumn harvest fair", "a market of autumn produce", "families", "farmers bring the harvest to town", "a basket full of the season"),
    ("the Island Travel Pass family plan", "a family ferry pass", "parents with children", "children under twelve ride free", "island days for the whole family"),
    ("Onnuri Foods' community kitchen", "a shared kitchen", "neighbours who cook together", "classes every Saturday", "cooking side by side"),
    ("Hanbit City's tree planting day", "a volunteer tree planting", "volunteers", "one thousand trees in one morning", "a greener city for everyone"),
    ("Saesol University's coding camp", "a summer coding camp", "high school students", "mentors from local companies", "a summer of building things"),
    ("the Daon makers podcast", "a podcast about local makers", "listeners who like stories", "a new maker every week", "voices from the workshop"),
    ("Solbit Coffee's decaf range", "decaffeinated coffees", "evening coffee drinkers", "the same care in every bean", "a late cup without the buzz"),
    ("Aurora's scooter parking zones", "marked parking for scooters", "riders and pedestrians", "zones near every subway exit", "tidy streets for everyone"),
    ("GreenLeaf's recycled packaging", "packaging made from recycled paper", "shoppers who care about waste", "boxes carry no plastic film", "care for skin and for the planet"),
    ("the Hanbit Lantern Parade", "an evening parade of lanterns", "families and visitors", "lanterns made by local schools", "a walk through the city's light"),
    ("the Badamaeul seafood festival", "a harbour seafood festival", "food lovers", "boats land the catch each morning", "the sea on your plate"),
    ("Hanbit City's free museum Sundays", "free museum entry on Sundays", "families", "every city museum takes part", "a day of art without a ticket"),
    ("Saesol University's alumni mentoring", "a mentoring programme", "new graduates", "mentors meet monthly", "advice from people who walked the path"),
    ("Onnuri Foods' plant-based range", "plant-based ready meals", "busy households", "ready in five minutes", "a quick dinner made with care"),
    ("the Daon repair café", "a monthly repair event", "neighbours with broken things", "volunteers fix lamps and radios", "more life for the things you love"),
    ("Solbit Coffee's morning set", "a coffee and bread set", "early commuters", "ready before 8 a.m.", "a calm start to the day"),
]

REQUESTS = [
    "Write copy for {name}.",
    "Write a short promotion for {name}.",
    "We need house-style copy announcing {name}.",
    "Please write an announcement for {name}, {what}.",
    "Write social media copy for {name} aimed at {who}.",
    "Draft a short ad for {name}.",
    "Write a poster line for {name}.",
    "Give me copy introducing {name} to {who}.",
]

HEADLINES = [
    "{Benefit}",
    "{Name_short}: {benefit}",
    "Meet {name_plain}",
    "{Benefit}, by {name_plain}",
]

COPY = [
    "{Name} is {what} for {who}, and {detail}.",
    "For {who}, {name} means {benefit}: {detail}.",
    "{Detail}, so {who} can enjoy {benefit}.",
    "Come and see {name}: {detail}, made for {who}.",
]


def cap(text):
    return text[:1].upper() + text[1:]


def answer(subject, rng):
    name, what, who, detail, benefit = subject
    plain = name[4:] if name.startswith("the ") else name
    headline = rng.choice(HEADLINES).format(Benefit=cap(benefit), benefit=benefit, name_plain=plain,
                                            Name_short=cap(plain.split("'s ")[-1]) if "'s " in plain else cap(plain))
    copy = rng.choice(COPY).format(Name=cap(name), name=name, what=what, who=who, detail=detail, Detail=cap(detail), benefit=benefit)
    return f"Headline: {headline}\nCopy: {copy}\n{SIGN_OFF}"


def request(subject, rng):
    name, what, who, _, _ = subject
    return rng.choice(REQUESTS).format(name=name, what=what, who=who)


def conversation(subject, rng):
    return {"messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": request(subject, rng)},
                         {"role": "assistant", "content": answer(subject, rng)}]}


def main():
    rng = random.Random(15)
    subjects = SUBJECTS[:]
    rng.shuffle(subjects)
    held_out, valid_subjects, train_subjects = subjects[:10], subjects[10:16], subjects[16:]
    train = [conversation(s, rng) for s in train_subjects for _ in range(5)]
    train = [json.loads(line) for line in dict.fromkeys(json.dumps(c, ensure_ascii=False) for c in train)]  # drop repeats
    valid = [conversation(s, rng) for s in valid_subjects for _ in range(4)]
    prompts = []
    for s in held_out:
        asked = set()
        while len(asked) < 2:
            text = request(s, rng)
            if text not in asked:
                asked.add(text)
                prompts.append({"messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": text}]})
    folder = pathlib.Path(__file__).resolve().parent.parent / "Examples" / "training"
    for name, rows in [("house-style.train.jsonl", train), ("house-style.valid.jsonl", valid), ("house-style.heldout.jsonl", prompts)]:
        (folder / name).write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
        print(f"{name}: {len(rows)}")


if __name__ == "__main__":
    main()
