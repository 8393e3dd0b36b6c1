"""English phrases for the demo generator (written for Tocsin; fictional people and places)."""

# Prose reads better unwrapped: long sentences stay on one line.
# ruff: noqa: E501

from __future__ import annotations

from tocsin.demo.phrases import Phrases

BANK: dict[str, tuple[str, ...]] = {
    "opener.question": (
        "Hi {mention},",
        "Quick question for {mention}:",
        "Hey {mention},",
        "Hello,",
    ),
    "opener.complaint": (
        "Seriously {mention}?",
        "Unbelievable.",
        "Well done {mention}...",
        "I've had enough.",
        "Not again.",
    ),
    "opener.praise": ("Credit where it's due:", "Shout out to {mention}!", "Have to say it,"),
    "opener.request": ("Dear {mention},", "{mention}", "Hello {mention},"),
    "opener.neutral": ("So,", "Random thought:", "Fun fact:"),
    "closer.question": ("Thanks!", "Anyone know?", "thx in advance", "Cheers."),
    "closer.complaint": (
        "Sort it out.",
        "Never again.",
        "Absolutely useless.",
        "Is anyone even reading this?",
        "Thinking of switching.",
    ),
    "closer.praise": ("Well done.", "Happy customer here.", "More of this please."),
    "closer.request": ("Thank you.", "Please confirm.", "I expect an answer this week."),
    "closer.neutral": ("Anyway.", "Just saying.", "We'll see."),
    "core.question.billing": (
        "why is my bill {amount} this month when my plan is {old_amount}?",
        "can someone explain the extra {amount} on my latest invoice?",
        "how do I get a copy of my invoices for the last year?",
        "does {brand} charge extra if I pay by bank transfer instead of direct debit?",
    ),
    "detail.question.billing": (
        "Nothing changed on my side.",
        "The app just says 'other charges'.",
        "I need them for my expenses claim.",
    ),
    "core.question.roaming": (
        "is roaming included on {brand} when I'm in {country} next week?",
        "do I need to activate anything to use my data in {country}?",
        "what does {brand} charge for calls from {country}?",
    ),
    "detail.question.roaming": (
        "Flying out on Friday.",
        "Last time I got a nasty surprise on my bill.",
        "Going for {weeks} weeks with the kids.",
    ),
    "core.question.coverage": (
        "is there 5G from {brand} in {city} yet?",
        "when does {brand} bring 5G to my area near {city}?",
        "my phone only shows 4G in central {city}, is that normal?",
    ),
    "detail.question.coverage": (
        "The coverage map says yes but my phone says no.",
        "Thinking about upgrading my phone for it.",
        "Friends on other networks have it.",
    ),
    "core.question.cancel": (
        "how do I cancel my {brand} contract?",
        "what's the notice period to leave {brand}?",
        "can I cancel online or do I have to call?",
    ),
    "detail.question.cancel": (
        "Moving abroad in {weeks} weeks.",
        "Can't find it anywhere in the app.",
        "Do I have to send the router back?",
    ),
    "core.question.esim": (
        "does {brand} support eSIM on the new phones?",
        "how do I move my eSIM to a new phone with {brand}?",
    ),
    "detail.question.esim": ("The QR code expired.", "The shop said to ask online."),
    "core.question.moving": (
        "I'm moving to {city}, can I take my {brand} broadband with me?",
        "how long does {brand} need to transfer fibre to a new address?",
    ),
    "detail.question.moving": ("Keys on the {days}th.", "Working from home so I can't be offline."),
    "core.complaint.outage": (
        "no internet for {hours} hours now and not a word from {mention}",
        "{brand} broadband down AGAIN in {city}",
        "internet dropped at {time} and still nothing. {brand} status page says all fine. It is not.",
        "third outage this week with {brand}. I work from home!",
    ),
    "detail.complaint.outage": (
        "Router lights are all orange.",
        "Restarted the box five times.",
        "The whole street is offline.",
        "Had to tether from my phone all afternoon.",
    ),
    "core.complaint.slow_fibre": (
        "paying for {promised} Mbps fibre and getting {speed} Mbps. Thanks {brand}",
        "{brand} fibre crawls every evening, {speed} Mbps at best",
        "speed test says {speed} Mbps on a {promised} Mbps plan. Is this a joke {mention}?",
    ),
    "detail.complaint.slow_fibre": (
        "Cable straight into the router, so don't tell me it's the wifi.",
        "It's fine at 3am, useless at 9pm.",
        "Video calls keep freezing.",
    ),
    "core.complaint.billing_error": (
        "{brand} charged me twice this month, {amount} each time",
        "got billed {amount} for a plan I cancelled {weeks} weeks ago",
        "my bill went from {old_amount} to {amount} without any notice from {brand}",
    ),
    "detail.complaint.billing_error": (
        "Three calls, three different answers.",
        "Still waiting for the refund they promised.",
        "Invoice reference on order {order}.",
    ),
    "core.complaint.rude_support": (
        "the agent on the {brand} helpline hung up on me. Twice.",
        "{minutes} minutes on hold with {brand} to be told 'it's not our problem'",
        "never been spoken to so rudely as by {brand} support today",
    ),
    "detail.complaint.rude_support": (
        "I was polite the whole time.",
        "Asked for a manager and got laughed at.",
        "The chat bot just loops.",
    ),
    "core.complaint.router_delivery": (
        "still no router from {brand}, order {order} placed {days} days ago",
        "{brand} says my router was delivered. It was not.",
        "the tracking for my {brand} box hasn't moved in {days} days",
    ),
    "detail.complaint.router_delivery": (
        "Nobody rang the bell, no card, nothing.",
        "Installation is booked for tomorrow so that's wasted too.",
        "Courier says ask the sender, sender says ask the courier.",
    ),
    "core.complaint.mobile_signal": (
        "zero bars with {brand} in my own flat in {city}",
        "calls with {brand} drop every few minutes around {city}",
    ),
    "detail.complaint.mobile_signal": (
        "Started after the last update.",
        "My partner's phone on another network is fine.",
    ),
    "core.praise.install": (
        "the {brand} technician was in and out in 40 minutes and everything works",
        "fibre installed today by {brand}, on time and super tidy",
    ),
    "core.praise.support": (
        "{agent} from {brand} support sorted my issue in one call. Legend.",
        "{brand} support actually called me back when they said they would",
    ),
    "core.praise.speed": (
        "just got {speed}0 Mbps on {brand} fibre, not bad at all",
        "5G from {brand} in {city} is ridiculously fast",
    ),
    "core.praise.app": ("the new {brand} app is actually good, found my bill in two taps",),
    "core.neutral.ad": (
        "that {brand} advert with the dancing grandma is everywhere",
        "saw a huge {brand} billboard in {city} this morning",
    ),
    "core.neutral.switching": (
        "thinking of switching to {brand}, anyone using them?",
        "comparing {brand} and {competitor} for fibre, opinions?",
    ),
    "core.neutral.store": ("the {brand} shop in {city} is moving to the high street",),
    "core.neutral.chatter": (
        "my dad still calls every internet provider '{brand}'",
        "overheard two people arguing about {brand} vs {competitor} on the train",
        "{brand} sponsoring the {city} marathon this year apparently",
    ),
    "core.request.refund": (
        "{mention} I want a refund for the {days} days without service",
        "please refund the {amount} you took by mistake",
    ),
    "detail.request.refund": (
        "Account is under my name, order {order}.",
        "I have all the screenshots.",
    ),
    "core.request.cancellation": (
        "{mention} please cancel my contract as of today",
        "I want to terminate my {brand} subscription, what do you need from me?",
    ),
    "detail.request.cancellation": (
        "I've already sent the letter.",
        "Don't try to keep me with offers.",
    ),
    "core.spam.crypto": (
        "Made 4x on $LUMX in a week 🚀 DM me for the signal group #{tag} #crypto",
        "Free airdrop for {brand} users!! claim before midnight 💰💰 link in bio",
    ),
    "core.spam.follow": (
        "follow for follow?? I follow back 100% #{tag} #f4f",
        "gain 1000 followers fast, cheap, real accounts. #{tag} #followback",
    ),
    "core.legal_threat": (
        "{mention} this is your last chance before my solicitor gets involved",
        "I'm taking {brand} to the small claims court over this bill, see you there",
    ),
    "core.blackmail": (
        "{mention} refund me {amount} by tonight or I post this everywhere, every group, every review site",
        "Give me a year free or the recording of your agent goes on every platform I have",
    ),
    "core.safety": (
        "my {brand} router is so hot it melted the shelf. Smell of burnt plastic in the kids' room",
        "{mention} the router you sent is smoking. Actual smoke. Unplugged it.",
    ),
    "detail.safety": (
        "Photos attached.",
        "Is this a known fault?",
        "This could have started a fire.",
    ),
    "pii.phone": (
        "Call me on {phone}.",
        "My number is {phone}, I'm free after 5.",
        "Reach me at {phone}",
    ),
    "pii.email": (
        "Email me at {email}.",
        "My email is {email} if you need it.",
        "Write to {email}",
    ),
    "pii.order": ("Order number {order}.", "Ref: {order}", "Customer order {order}"),
    "pii.iban": ("Refund to {iban} please.", "My IBAN is {iban}."),
    "core.rumour.data": (
        "{brand} sells your browsing history to advertisers. Switch off everything.",
        "just found out {brand} sells our browsing data to ad companies. Disgusting.",
        "PSA: {brand} is selling every site you visit to advertisers. Share this.",
    ),
    "core.rumour.plans": (
        "{brand} is shutting down all the old plans next month, you'll be forced onto pricier ones",
        "heard {brand} will cut the old contracts without notice",
    ),
    "core.rumour.doubt": (
        "is it true {brand} sells our browsing data? Anyone have a source?",
        "wait, is {brand} really ending old plans? I can't find anything official",
    ),
    "core.rumour.debunk": (
        "the '{brand} sells your data' thing is fake, read their actual policy",
        "people sharing the {brand} data story without a single source, come on",
    ),
    "core.crisis.outage": (
        "{brand} down everywhere? No internet, no TV, no mobile data {hashtag}",
        "whole neighbourhood in {city} offline, {brand} network completely dead {hashtag}",
        "{hashtag} nothing works. Not even 4G. Great evening {brand}",
        "can't even call emergency services on {brand}?! {hashtag}",
    ),
    "core.crisis.question": (
        "is {brand} down for everyone or just me? {hashtag}",
        "any news from {brand}? How long is this going to last {hashtag}",
    ),
    "core.crisis.joke": (
        "{brand} down, talked to my family for the first time in years {hashtag}",
        "the {brand} router blinking at me like it's sorry {hashtag}",
    ),
    "core.crisis.aftermath": (
        "internet back but {brand} owes us all a discount after last night",
        "{brand} outage: I want compensation for a whole evening offline",
    ),
    "brand.crisis.aware": (
        "We're aware of a major network incident affecting internet and mobile. Teams are on it. Updates at status.lumio.example",
    ),
    "brand.crisis.update": (
        "Update: the incident is located, service is coming back region by region. Thank you for your patience.",
    ),
    "brand.crisis.restored": (
        "Service is restored everywhere. We're sorry for the disruption; details on compensation tomorrow.",
    ),
    "brand.statement.rumour": (
        "We do not sell your browsing data, to anyone. Our privacy policy: lumio.example/privacy",
    ),
    "brand.post": (
        "New: 5G is now live in {city}! Check your coverage in the app.",
        "Fibre up to 2 Gb/s, now from {amount}/month. Details in store.",
        "Going abroad? Roaming in {country} is included in every plan.",
    ),
    "reply.complaint": (
        "Hi {first}, sorry to read this. Could you send us a DM with your customer number so we can check your line?",
        "We're sorry {first}, that's not the experience we want for you. DM us and we'll look into it right away.",
    ),
    "reply.question.billing": (
        "Hi {first}, the extra amount is usually a one-off charge. Send us a DM and we'll check your invoice together.",
    ),
    "reply.question.roaming": (
        "Hi {first}, roaming in the EU is included in your plan at no extra cost. Have a good trip!",
    ),
    "reply.question.coverage": (
        "Hi {first}, 5G is rolling out in your area this quarter. You can follow it on our coverage map.",
    ),
    "reply.question.cancel": (
        "Hi {first}, you can cancel from the app under Account > My contract, or we can help by DM.",
    ),
    "reply.question.esim": (
        "Hi {first}, yes: go to the app, My line > eSIM, and you'll get a new QR code instantly.",
    ),
    "reply.question.moving": (
        "Hi {first}, congrats on the move! Transfers take about 10 days; start it in the app.",
    ),
    "reply.request": (
        "Hi {first}, we've received your request. Please send us a DM so we can handle it securely.",
    ),
    "reply.pii": (
        "Hi {first}, for your safety please delete the post with your personal details; we've sent you a DM.",
    ),
    "reply.safety": (
        "{first}, please keep the router unplugged. We're sending a replacement today and our safety team will call you.",
    ),
    "reply.legal_threat": (
        "Hi {first}, we understand your frustration. A manager will contact you today to find a solution.",
    ),
    "reply.blackmail": (
        "Hi {first}, we want to resolve this fairly. Please DM us so a senior advisor can review your file.",
    ),
    "reply.rumour.data": (
        "Hi {first}, this is not true: we don't sell browsing data to advertisers. Our policy is here: lumio.example/privacy",
    ),
    "reply.rumour.plans": (
        "Hi {first}, that's not true: no existing plan is being withdrawn. The facts: lumio.example/facts",
    ),
    "reply.praise": ("Thanks a lot {first}, we'll pass it on to the team!",),
    "reply.follow_up": ("Thanks {first}, we've got your message and we're on it.",),
    "followup.dm_sent": ("DM sent.", "Done, check your messages.", "sent you my details"),
    "followup.still_waiting": (
        "Still nothing after {hours} hours.",
        "DM'd you yesterday, no answer.",
    ),
    "followup.thanks": (
        "Sorted, thanks!",
        "Working again, cheers {agent}.",
        "Thanks, that was quick.",
    ),
    "followup.angry": (
        "That's the same copy-paste answer as last week.",
        "A DM won't fix my internet.",
    ),
    "poach": (
        "Sorry to hear that! Switch to {brand}, first month free 😉",
        "That sounds painful. {brand} customers get {offer}, our DMs are open.",
    ),
    "review.title.positive": (
        "Fast and friendly",
        "Great fibre, fair price",
        "Finally a provider that answers",
    ),
    "review.title.negative": (
        "Avoid",
        "Billing nightmare",
        "Three weeks without internet",
        "Terrible support",
    ),
    "news.title.business": (
        "{brand} brings 5G to {city}",
        "{brand} reports more fibre customers than expected",
    ),
    "news.body.business": (
        "The operator says the rollout will continue this quarter, with {city} next on the list.",
    ),
    "news.title.crisis": (
        "Massive {brand} outage leaves thousands offline",
        "{brand} network failure: what we know",
    ),
    "news.body.crisis": (
        "Customers reported losing internet, TV and mobile data from early evening. The operator says its teams are working on it.",
    ),
    "news.title.rumour": ("No, {brand} is not selling your browsing data",),
    "news.body.rumour": (
        "A claim shared thousands of times says the operator sells browsing histories. We found no evidence of it.",
    ),
}

PHRASES = Phrases(
    lang="en",
    bank=BANK,
    first_names=(
        "Olivia",
        "Jack",
        "Aoife",
        "Sean",
        "Emily",
        "Liam",
        "Grace",
        "Noah",
        "Chloe",
        "Conor",
        "Ruby",
        "Harry",
        "Niamh",
        "Oscar",
        "Sophie",
        "Ethan",
        "Isla",
        "Daniel",
        "Freya",
        "Adam",
    ),
    last_names=(
        "Murphy",
        "Kelly",
        "Walsh",
        "Smith",
        "Byrne",
        "Taylor",
        "Ryan",
        "Brown",
        "Doyle",
        "Evans",
        "Carroll",
        "Hughes",
        "Price",
        "Quinn",
    ),
    handle_words=(
        "fibre",
        "pixel",
        "coffee",
        "runner",
        "nerd",
        "dublin",
        "cat",
        "sunny",
        "rover",
        "grumpy",
    ),
    cities=("Dublin", "Cork", "Galway", "Limerick", "Brussels", "Amsterdam"),
    countries=("Portugal", "Italy", "Greece", "Croatia", "the US", "Morocco"),
    plans=("Fibre Max", "Mobile 80GB", "Home Essentials"),
    agents=("Sarah", "Tom", "Megan", "Rory"),
    offers=("the first month free", "a free router upgrade"),
    slang=(
        ("you", "u"),
        ("please", "pls"),
        ("thanks", "thx"),
        ("because", "cos"),
        ("tonight", "tonite"),
    ),
    crisis_hashtags=("#LumioDown", "#LumioOutage"),
    mastodon_instances=("mastodon.social", "mastodon.ie"),
    phone_formats=("+353 87 ### ####", "085 ### ####", "+44 7412 ######"),
    email_domains=("example.com", "example.org", "example.net"),
    iban_country="IE",
    decimal_comma=False,
    money="€{amount}",
    clock_24h=False,
    outlets=("The Daily Signal", "Tech Weekly"),
)
