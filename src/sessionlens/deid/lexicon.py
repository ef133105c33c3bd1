"""Word lists written for sessionlens: common given names, place names, and words the small model
mistakes for names in spoken English. Lists help recall where the model is weakest (lone first
names, a city tagged as a person); they are never complete, hence the review step."""

from __future__ import annotations

_GIVEN = """
Aaron Abby Abigail Adam Adrian Ahmed Aiden Aisha Alan Albert Alex Alexander Alexandra Alexis Ali Alice Alicia
Alison Allison Amanda Amber Amelia Amir Amy Ana Andrea Andrew Andy Angela Angie Anna Anne Annie Anthony Antonio
Arjun Ashley Austin Ava Barbara Becky Ben Benjamin Beth Betty Bianca Bill Billy Bob Bobby Brad Bradley Brandon
Brenda Brian Brianna Brittany Bruce Bryan Caleb Cameron Carl Carla Carlos Carmen Carol Caroline Carter Casey
Catherine Charles Charlie Charlotte Chelsea Chen Chloe Chris Christian Christina Christine Christopher Cindy
Claire Clara Cody Colin Connor Craig Crystal Cynthia Daisy Dan Dana Daniel Danielle Danny Darren Dave David
Debbie Deborah Debra Denise Dennis Derek Diana Diane Diego Dominic Donna Doris Dylan Ed Eddie Edward Elena Eli
Elijah Elizabeth Ella Ellen Emily Emma Eric Erica Erin Ethan Eva Evan Evelyn Fatima Felix Fiona Frances Francis
Gabriel Gabriela Gary Gavin George Gina Gloria Greg Gregory Hannah Harry Hassan Heather Helen Henry Holly Hugo
Ian Isaac Isabel Isabella Ivan Jack Jackson Jacob Jade Jake James Jamie Jan Jane Janet Janice Jason Javier Jay
Jean Jeff Jeffrey Jenna Jennifer Jenny Jeremy Jesse Jessica Jill Jim Jimmy Joan Joe Joel John Johnny Jon
Jonathan Jordan Jorge Jose Joseph Josh Joshua Joy Joyce Juan Judy Julia Julian Julie Justin Karen Kate Katherine
Kathleen Kathy Katie Kayla Keith Kelly Ken Kenneth Kevin Kim Kimberly Kyle Laura Lauren Leah Lee Leo Linda Lisa
Liam Lily Logan Lori Louis Lucas Lucy Luis Luke Lydia Maggie Maria Marie Marissa Mark Martha Martin Mary Mason
Matt Matthew Maya Megan Melanie Melissa Mia Michael Michelle Miguel Mike Mohammed Molly Monica Nancy Naomi Natalie
Nathan Neil Nicholas Nick Nicole Noah Nora Olivia Omar Oscar Owen Pam Pamela Patricia Patrick Paul Paula Peter
Phil Philip Priya Rachel Rahul Ralph Raj Randy Ray Rebecca Richard Rick Ricky Rita Rob Robert Robin Roger Ron
Ronald Rosa Ruby Russell Ruth Ryan Sam Samantha Samuel Sandra Sara Sarah Scott Sean Sharon Shawn Sheila Sophia
Sophie Stacy Stephanie Stephen Steve Steven Susan Suzanne Tammy Tanya Taylor Teresa Terry Thomas Tiffany Tim
Timothy Tina Todd Tom Tommy Tony Tracy Travis Tyler Valerie Vanessa Victor Victoria Vincent Walter Wayne Wendy
William Willie Yasmin Zach Zachary Zoe
"""
GIVEN_NAMES: frozenset[str] = frozenset(_GIVEN.split())

# Given names that are also ordinary words: matched only with a relation or title before them.
AMBIGUOUS = frozenset({"Will", "May", "June", "April", "Grace", "Hope", "Faith", "Joy", "Mark", "Bill", "Rose",
                       "Art", "Dawn", "Frank", "Guy", "Sunny", "Summer", "Jan", "Pat", "Sue", "Lee", "Kim",
                       "Robin", "Jay", "Ray", "Ruby", "Jade", "Lily", "Daisy", "Amber", "Crystal", "Chance",
                       "Jordan", "Taylor", "Casey", "Carter", "Mason", "Logan", "Austin", "Hunter", "Page"})

_PLACES = """
Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|Illinois|
Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|
Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|
Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|
West Virginia|Wisconsin|Wyoming|Atlanta|Austin|Baltimore|Boston|Brooklyn|Buffalo|Charlotte|Chicago|Cincinnati|
Cleveland|Columbus|Dallas|Denver|Detroit|El Paso|Fresno|Honolulu|Houston|Indianapolis|Jacksonville|Kansas City|
Las Vegas|Long Beach|Los Angeles|Louisville|Memphis|Miami|Milwaukee|Minneapolis|Nashville|New Orleans|Newark|
Oakland|Omaha|Orlando|Philadelphia|Phoenix|Pittsburgh|Portland|Queens|Raleigh|Reno|Richmond|Sacramento|
Salt Lake City|San Antonio|San Diego|San Francisco|San Jose|Santa Fe|Seattle|Spokane|St. Louis|Tampa|Tucson|Tulsa|
Albuquerque|Anchorage|Boise|Springfield|Manhattan|Bronx|Toronto|Vancouver|Montreal|Calgary|Ottawa|Edmonton|
Winnipeg|London|Manchester|Birmingham|Leeds|Liverpool|Glasgow|Edinburgh|Cardiff|Belfast|Bristol|Sheffield|
Newcastle|Nottingham|Leicester|Brighton|Oxford|Cambridge|Dublin|Cork|Galway|Sydney|Melbourne|Brisbane|Perth|
Adelaide|Auckland|Wellington|Paris|Berlin|Madrid|Rome|Lisbon|Amsterdam|Brussels|Vienna|Prague|Warsaw|Athens|
Stockholm|Oslo|Copenhagen|Helsinki|Zurich|Geneva|Munich|Hamburg|Barcelona|Milan|Istanbul|Moscow|Kyiv|Cairo|
Lagos|Nairobi|Johannesburg|Cape Town|Mumbai|Delhi|Bangalore|Karachi|Lahore|Dhaka|Beijing|Shanghai|Hong Kong|
Tokyo|Osaka|Seoul|Manila|Bangkok|Jakarta|Singapore|Hanoi|Mexico City|Guadalajara|Bogota|Lima|Santiago|
Buenos Aires|Sao Paulo|Rio|Havana|Kingston|Canada|Mexico|Ireland|Scotland|Wales|England|Britain|France|Germany|
Spain|Italy|Portugal|Poland|Ukraine|Russia|China|Japan|Korea|India|Pakistan|Bangladesh|Vietnam|Philippines|
Thailand|Indonesia|Nigeria|Kenya|Ghana|Ethiopia|Somalia|Egypt|Morocco|Brazil|Argentina|Colombia|Peru|Chile|
Venezuela|Cuba|Jamaica|Haiti|Puerto Rico|Guatemala|Honduras|El Salvador|Iran|Iraq|Syria|Afghanistan|Turkey|
Israel|Lebanon|Australia|New Zealand|Greece|Sweden|Norway|Netherlands|Belgium|Switzerland|Austria
"""
PLACES: frozenset[str] = frozenset(p.strip() for p in _PLACES.replace("\n", "").split("|") if p.strip())

# Capitalised words in speech that the model sometimes tags as a person, place or organisation.
NOT_IDENTIFIERS = frozenset(w.lower() for w in """
Okay OK Yeah Yes No Um Uh Hmm Mm Mhm Uh-huh Right Well So Honestly Totally Sure Thanks Thank Sorry Hi Hey Hello
Bye God Jesus Lord Christmas Easter Thanksgiving Halloween Monday Tuesday Wednesday Thursday Friday Saturday Sunday
Mom Mum Dad Mother Father Grandma Grandpa Therapist Client Counselor Doctor AA NA CBT DBT ADHD PTSD OCD ER ICU
Xanax Zoloft Prozac Lexapro Ambien Instagram Facebook Twitter TikTok Google Netflix YouTube Zoom WhatsApp
""".split())
