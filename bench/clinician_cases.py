"""Clinician queries, as clinicians write them: those that name a patient, and clean ones that name none.

Written before the patient rules were changed to fit them. Names come from Faker (en_US and en_GB, fixed
seed), drugs, conditions and numbers from the lists below; each template is filled several times. A query
that names a patient must get a patient finding; a clean query (guideline and drug questions, named
colleagues and clinicians, public figures talking about their own health) must not.
"""

from __future__ import annotations

import random

SEED = 20250613

NAMING_A_PATIENT = [
    "Dosing question for {full}, {age}, CrCl {crcl} on {drug}?",
    "Can someone sanity-check the insulin sliding scale for Mr {last} in bay {n}?",
    "pt {first} {initial}. {age}{sex} hx {cond}, seen {day}/{month}",
    "Any thoughts on {full}'s potassium of {k}? On {drug} and {drug2}.",
    "{full} ({age}M) came in with chest pain, trop negative, what next?",
    "Should I hold {drug} for Mrs {last} before her colonoscopy tomorrow?",
    "Quick q: {first} {last}, {age}F, eGFR {egfr} - safe to start {drug}?",
    "Is it ok to give {drug} to {full}? Allergic to penicillin.",
    "Re {full} - BP {bp} this morning, do we titrate the {drug}?",
    "Ms {last} on ward {n} spiking 38.{d1}, cultures sent, start {drug}?",
    "Help with {first}'s plan? She's {age} with {cond} and keeps falling.",
    "Need advice: {full}, {age} y/o, on {drug}, INR {inr}",
    "What dose of {drug} would you use for Mr {first} {last}, weight {kg} kg?",
    "Does {full} need VTE prophylaxis after his {proc}?",
    "{last}, {first} - {age}yo, admitted with {cond}. Plan?",
    "Can I crush {drug} for Mrs {last}? Can't swallow tablets since the stroke.",
    "Anyone seen a rash like this with {drug}? Started on {full} Monday.",
    "Handing over {full} in bed {n}: {cond}, NBM from midnight",
    "Pharmacy query for {first} {initial}.: is {drug} compatible with {drug2} in the same line?",
    "Can you review {full}'s bloods? Hb {hb}, dropping.",
    "Is {drug} renally adjusted? Asking for {full}, creatinine {cr}.",
    "For Mr {last} (DOB {dob}) - switch to oral {drug}?",
    "{full}, MRN {mrn}: does the {drug} level need rechecking?",
    "{title} {last}'s daughter asks whether he can have {drug} at home - thoughts?",
    "Pt {full} c/o dizziness after starting {drug}, hold it?",
    "Managing {full}'s pain post {proc}: {drug} isn't touching it",
    "Mrs {first} {last}, {age}, frail, on 9 meds - which would you deprescribe first?",
    "Could {drug} explain {full}'s hyponatraemia?",
    "{first} {last} is {age} and pregnant, is {drug} safe?",
    "Baby {first} {last}, 34 weeks, feeding question for the NICU team",
    "Resident {first} {last} refusing her {drug} again, what do we do?",
    "My patient {full} wants to stop {drug}, how do I taper?",
    "Seeing {full} in clinic today, {age}M, A1c {a1c}, add {drug}?",
    "{first} {initial}., {age}, bay {n} - sats {sats}% on 2L, escalate?",
    "Can we get a dietitian for Mr {last}? BMI {bmi} and losing weight.",
    "Reviewing {full} for discharge tomorrow, TTOs include {drug}",
    "Does {full} ({age}) still need the catheter?",
    "Any advice for {full}'s {cond} flare? Already on {drug}.",
    "Mx for {full}: {age}F, {cond}, {drug} not tolerated",
    "Who's covering {full} overnight? Needs repeat K+ at 2am.",
]

CLEAN = [
    "What's the max daily dose of {drug} in renal impairment?",
    "Does anyone have the latest NICE guidance on {cond}?",
    "Is {drug} safe in breastfeeding?",
    "Can {drug} and {drug2} be given together?",
    "Dr {last} is running the {cond} teaching session on Thursday, all welcome",
    "Thanks {full} for covering my shift last night!",
    "Nurse {first} {last} has joined the ward team, say hello",
    "{full} from pharmacy says {drug} is out of stock until Friday",
    "Great talk by Prof {full} on antimicrobial stewardship",
    "What CrCl cut-off do you use for {drug}?",
    "Best first-line for {cond} in a {age}-year-old with CKD?",
    "How often should we check INR after starting {drug}?",
    "Anyone know if the {drug} shortage affects the IV form?",
    "Sliding scale vs basal-bolus insulin: what does your trust use?",
    "Dr {last} and Dr {last2} are on call this weekend",
    "Can a 78-year-old on {drug} have the shingles vaccine?",
    "Anyone got a good patient leaflet on {cond}?",
    "Our consultant {full} is retiring after 30 years, cake in the staff room",
    "Is it {drug} or {drug2} first line for {cond} now?",
    "Audit question: how many of our {cond} patients get {drug} within an hour?",
    "Please welcome {full}, our new clinical pharmacist",
    "{full} passed her nursing exams, congratulations!",
    "Reminder: sepsis six within the hour, ask {first} on the outreach team if unsure",
    "What's the evidence for {drug} in {cond}?",
    "Which antiemetic is safe in Parkinson's?",
    "Locum Dr {full} asked about the {drug} protocol",
    "Is there a renal dosing chart for {drug} on the intranet?",
    "{public} spoke about living with {public_cond} in a new interview",
    "Interesting piece on how {public}'s {public_cond} diagnosis raised awareness",
    "Does {drug} need a loading dose when switching from {drug2}?",
]

# Written after the patient rules were changed, in phrasings the sets above do not use, and never used to
# tune a rule: `--held-out` measures on these alone.
HELD_OUT_NAMING = [
    "Thoughts on restarting {drug} for {full}? Bled last month, Hb now {hb}.",
    "Quick one - {first} {last} ({age}{sex}) keeps desaturating overnight, any ideas?",
    "Asking for a colleague's patient: {full}, {age}, new {cond}, what would you add?",
    "{title}. {last} in cubicle {n} is refusing obs again",
    "Would you anticoagulate {full}? {age}, {cond}, recent fall.",
    "What's your threshold for admitting someone like {full} - {age}yo, {cond}, lives alone?",
    "{full}'s family want to know if {drug} is causing the confusion",
    "Seen {first} {last} today, ? {cond}, bloods pending",
    "Struggling to get {full}'s pain under control on {drug}, any tips?",
    "Any pharmacists around? {full} on {drug} + {drug2}, interaction?",
    "Need a second opinion on {full}'s ECG, {age}M with palpitations",
    "Pt: {full} | Age: {age} | PMH: {cond} | Query: switch {drug}?",
    "{first} ({age}) on the stroke unit can't swallow - can {drug} go down the NG?",
    "Should {full} still be on {drug} at {age}? Falls risk is high.",
    "Night team: please recheck {full}'s potassium at midnight",
    "Renal team asked about {full} - eGFR {egfr}, on {drug}, stop or reduce?",
    "Is a {drug} level needed for {title} {last} before the next dose?",
    "{full}, {age}{sex}, bed {n}: family asking about DNACPR, who should talk to them?",
    "Can anyone advise on {first} {last}? {age} y.o. with {cond}, not improving on {drug}.",
    "FYI {full} has been transferred to ward {n}, still on {drug}",
]
HELD_OUT_CLEAN = [
    "Does {drug} interact with grapefruit juice?",
    "New {cond} pathway launches Monday, thanks to {full} and the project team",
    "Teaching tomorrow: {cond} in older adults, led by Dr {last}",
    "What's everyone's approach to {drug} in frail elderly patients?",
    "Is there a max dose of {drug} in hepatic impairment?",
    "Shout out to {full} for the new handover template",
    "Journal club this week: {drug} vs {drug2} in {cond}",
    "Any good apps for {drug} dose calculations?",
    "{full} is our new ward manager from Monday",
    "How do you explain {cond} to patients with low health literacy?",
    "Anyone going to the {cond} conference in {city}?",
    "Rota question: who is covering the {cond} clinic on Friday?",
    "Prof {last}'s paper on {drug} dosing is worth a read",
    "When do you switch from IV to oral {drug}?",
    "Reminder to complete the {cond} audit by Friday, ask {full} if stuck",
]

# A second held-out batch, written after the second round of changes (the first batch above had by then been
# looked at): `--held-out 2`.
HELD_OUT_2_NAMING = [
    "Hi all, {full} ({age}) is back with another {cond} exacerbation - step up {drug}?",
    "{title} {last} rang the ward worried about her {drug}, who should call back?",
    "Bay {n}: {first} {last}, {age}, pain score 8 despite {drug}",
    "Pls review {full} - new AKI, on {drug} and {drug2}",
    "How would you manage {full}'s insulin while NBM?",
    "{full} (DOB {dob}) asking to go home against advice, capacity?",
    "Dietitian referral for {first} {last}, weight down 6 kg since admission",
    "{first} {initial}. ({age}{sex}) with {cond}: would you start {drug}?",
    "Relatives of {full} asking about the scan results - who updates them?",
    "Repeat bloods for {title} {last} tomorrow? INR was {inr} today",
    "Is {full} safe to go home on {drug} with an eGFR of {egfr}?",
    "{full} in side room {n} has C. diff, barrier nursing please",
    "Anyone know why {full}'s {drug} was stopped on the last admission?",
    "Review please: {full}, {age}, SOB on exertion, BNP raised",
    "{first} on ward {n} ({age}F) keeps pulling her cannula out, ideas?",
]
HELD_OUT_2_CLEAN = [
    "Which {drug} formulation do you stock on the wards?",
    "Huge thanks to {full} for running the {cond} study day",
    "What's the evidence for stopping {drug} before surgery?",
    "Dr {last} has moved to the {cond} service",
    "Ward {n} is closed to admissions because of norovirus",
    "{full} has been appointed lead nurse for {cond}",
    "How are people managing the {drug} shortage?",
    "Can I give {drug} via an NG tube in general?",
    "Congratulations to {full} on the {cond} research award",
    "Patient safety alert about {drug} dosing errors, please read",
]

# A third batch, written after the last change and measured once, never tuned to: `--held-out 3`.
HELD_OUT_3_NAMING = [
    "GP here - {full}, {age}, wants to come off {drug} after 10 years. Taper plan?",
    "ward {n} handover: {first} {last} NEWS2 5, sats {sats}%, on {drug}",
    "Pharmacist q: {title} {last} prescribed {drug} and {drug2} together, OK?",
    "{full} ({age}{sex}): troponin rising, cardiology not answering, what now?",
    "Has anyone managed {cond} in someone like {full}? {age}, on {drug} already.",
    "Re: {full} - daughter says she hasn't eaten in 3 days, refer to SALT?",
    "Urgent: {full} in bed {n}, BP {bp}, do I give the {drug}?",
    "District nurse visiting {title} {last} at home, leg ulcer not healing on {drug}",
    "{first} {last}, DOB {dob}, allergic to {drug} - alternatives?",
    "Care home query: resident {first} {last} more confused since starting {drug}",
    "Can I discharge {full} today? {cond} settled, still on {drug}",
    "{full} is {age} and on {drug} for {cond} - is the dose too high?",
]
HELD_OUT_3_CLEAN = [
    "Anyone have a good flowchart for {cond} management?",
    "Dr {last} is covering the {cond} clinic while {first} is on leave",
    "What monitoring do you do for {drug}?",
    "Well done {full} on passing your prescribing course!",
    "Is {drug} on the formulary yet?",
    "Our {cond} pathway won an award, thank you {full} and team",
    "Do you check renal function before starting {drug}?",
    "{full} will lead the {cond} audit next quarter",
    "Patients on {drug} need a blood test every 3 months, right?",
    "Who can teach the new starters about {drug} safety?",
]

DRUGS = [
    "apixaban",
    "warfarin",
    "metformin",
    "gliclazide",
    "ramipril",
    "amlodipine",
    "furosemide",
    "bisoprolol",
    "gentamicin",
    "vancomycin",
    "co-amoxiclav",
    "clarithromycin",
    "sertraline",
    "mirtazapine",
    "haloperidol",
    "levetiracetam",
    "prednisolone",
    "enoxaparin",
    "morphine",
    "oxycodone",
    "empagliflozin",
    "allopurinol",
    "digoxin",
    "amiodarone",
    "lithium",
    "methotrexate",
    "spironolactone",
    "tramadol",
    "insulin glargine",
]
CONDITIONS = [
    "CKD",
    "COPD",
    "heart failure",
    "AF",
    "type 2 diabetes",
    "cellulitis",
    "pneumonia",
    "delirium",
    "sepsis",
    "a UTI",
    "Parkinson's",
    "epilepsy",
    "gout",
    "asthma",
    "hypertension",
    "dementia",
    "an NSTEMI",
]
CITIES = ["Leeds", "Manchester", "Boston", "Denver", "Glasgow", "Bristol", "Chicago", "Cardiff"]
PROCEDURES = ["hip replacement", "TKR", "lap chole", "CABG", "appendicectomy", "TURP", "hemicolectomy"]
PUBLIC_FIGURES = [
    ("Michael J. Fox", "Parkinson's"),
    ("Selena Gomez", "lupus"),
    ("Celine Dion", "stiff person syndrome"),
    ("Bruce Willis", "dementia"),
    ("Serena Williams", "a pulmonary embolism"),
    ("Elton John", "prostate cancer"),
]


def queries(held_out: int = 0) -> list[dict]:
    """Every query, labelled `names_patient`; `held_out` 1-3: a batch written after the rules changed."""
    from faker import Faker

    fake = Faker(["en_US", "en_GB"])
    Faker.seed(SEED)
    rng = random.Random(SEED)
    cities = random.Random(SEED + 1)  # its own stream: the held-out templates' field leaves the others' alone
    out = []
    sets = {
        0: ((True, NAMING_A_PATIENT, 4), (False, CLEAN, 4)),
        1: ((True, HELD_OUT_NAMING, 4), (False, HELD_OUT_CLEAN, 4)),
        2: ((True, HELD_OUT_2_NAMING, 6), (False, HELD_OUT_2_CLEAN, 6)),
        3: ((True, HELD_OUT_3_NAMING, 8), (False, HELD_OUT_3_CLEAN, 8)),
    }[held_out]
    for label, templates, fills in sets:
        for template in templates:
            for _ in range(fills):
                first, last = fake.first_name(), fake.last_name()
                public, public_cond = rng.choice(PUBLIC_FIGURES)
                drug, drug2 = rng.sample(DRUGS, 2)
                fields = {
                    "first": first,
                    "last": last,
                    "last2": fake.last_name(),
                    "full": f"{first} {last}",
                    "initial": last[0],
                    "title": rng.choice(["Mr", "Mrs", "Ms"]),
                    "age": rng.randint(18, 98),
                    "sex": rng.choice("MF"),
                    "drug": drug,
                    "drug2": drug2,
                    "cond": rng.choice(CONDITIONS),
                    "proc": rng.choice(PROCEDURES),
                    "public": public,
                    "public_cond": public_cond,
                    "n": rng.randint(1, 30),
                    "day": rng.randint(1, 28),
                    "month": rng.randint(1, 12),
                    "crcl": rng.randint(12, 60),
                    "k": f"{rng.uniform(2.6, 6.8):.1f}",
                    "egfr": rng.randint(15, 60),
                    "bp": f"{rng.randint(85, 190)}/{rng.randint(45, 110)}",
                    "d1": rng.randint(0, 9),
                    "inr": f"{rng.uniform(1.0, 6.0):.1f}",
                    "kg": rng.randint(38, 140),
                    "hb": rng.randint(55, 110),
                    "cr": rng.randint(90, 400),
                    "dob": fake.date_of_birth(minimum_age=18, maximum_age=98).strftime("%d/%m/%Y"),
                    "mrn": fake.numerify("#######"),
                    "a1c": rng.randint(48, 110),
                    "sats": rng.randint(84, 93),
                    "bmi": f"{rng.uniform(14.0, 19.0):.1f}",
                    "city": cities.choice(CITIES),
                }
                text = template.format(**fields)
                out.append({"names_patient": label, "text": text, "template": template})
    return out
