"""Wording for the synthetic ToR generator (``bench/generate.py``), kept as data.

Each pool holds several ways real Terms of Reference say the same thing, so that generated
documents differ in wording as much as in structure. Slots in braces are filled per document:
``{net}`` (how the text names its network), ``{Net}`` (the same, capitalised), ``{modal}``
("will", "shall", ...), ``{place}``, ``{coord}`` / ``{sec}`` (acronyms), ``{gov}`` (a national
or regional authority), ``{hub}`` (a city), ``{team}`` (UNCT or the regional coordination body).
"""
from __future__ import annotations

MODALS = ("will", "shall", "will", "shall", "must")

NETWORK_NAMES = {
    "country": ("United Nations Network on Migration in {place}", "UN Migration Network in {place}",
                "{place} UN Network on Migration", "UN Network on Migration \u2013 {place}",
                "United Nations Country Network on Migration for {place}"),
    "regional": ("Regional UN Network on Migration for {place}", "Regional United Nations Network on Migration in {place}",
                 "UN Network on Migration for {place}"),
}
SHORT_NAMES = ("the Network", "the Network", "the Migration Network", "the UNNM", "the Country Network",
               "the Regional Network")

TITLE_LINES = ("Terms of Reference", "TERMS OF REFERENCE", "Terms of Reference (ToR)", "Draft Terms of Reference")

SECTION_TITLES = {
    "background": ("Background", "Context", "Introduction", "Background and Rationale"),
    "mission": ("Mission Statement", "Mission", "Purpose", "Mandate and Purpose"),
    "objectives": ("Objectives", "Objectives and Functions", "Objectives and tasks of the Network", "Functions"),
    "principles": ("Working Principles", "Guiding Principles", "Principles of Work"),
    "membership": ("Membership and Composition", "Membership", "Composition", "Membership and Structure"),
    "coordination": ("Coordination and Secretariat", "Coordinator and Secretariat", "Roles and Organizational Arrangements",
                     "Coordination Arrangements"),
    "core": ("Executive Committee", "Core Group", "Steering Committee", "Core Working Group"),
    "groups": ("Working Groups", "Task Teams", "Thematic Working Groups", "Task Forces"),
    "decisions": ("Decision-making", "Decision Making", "Decisions", "Decision-Making Procedures"),
    "meetings": ("Meetings", "Frequency of Meetings", "Meetings and Working Methods"),
    "reporting": ("Reporting", "Reporting and Accountability", "Monitoring and Reporting"),
    "workplan": ("Work Plan", "Annual Work Plan", "Workplan and Resources"),
    "review": ("Review of the Terms of Reference", "Amendments", "Review and Amendment"),
    "annex": ("Annex: Membership", "Annex I \u2013 Members of the Network", "Annex A: List of Members"),
}

BACKGROUND = (
    "In December 2018, Member States adopted the Global Compact for Safe, Orderly and Regular Migration (GCM), "
    "the first intergovernmentally negotiated agreement covering all dimensions of international migration in a "
    "holistic and comprehensive manner.",
    "The GCM is rooted in the 2030 Agenda for Sustainable Development and recognises that migration is a "
    "multidimensional reality of major relevance for the sustainable development of countries of origin, transit "
    "and destination.",
    "The Secretary-General established the United Nations Network on Migration to ensure effective, timely and "
    "coordinated system-wide support to Member States in their implementation, follow-up and review of the GCM.",
    "The GCM calls on the United Nations system to support its implementation at the national and regional levels, "
    "in full alignment with the reform of the United Nations development system and the Resident Coordinator system.",
    "Migration in {place} is shaped by labour mobility, family reunification, forced displacement, environmental "
    "change and the effects of disasters, and it brings both opportunities and challenges for {gov}.",
    "Remittances sent by migrant workers represent a significant share of household income in {place}, while "
    "irregular migration continues to expose many migrants to exploitation, trafficking and abuse.",
    "{gov} has expressed its interest in implementing the GCM and has requested the support of the United Nations "
    "Country Team in reviewing national migration policies and legislation.",
    "A mapping exercise conducted by the United Nations entities present in {place} identified gaps in data on "
    "migration, in access to services for migrants and in the coordination of assistance.",
    "The International Migration Review Forum, held every four years, and the regional reviews in between provide "
    "the framework for the follow-up and review of the GCM.",
    "These Terms of Reference set out the purpose, objectives, membership, structure and working methods of "
    "{net}, and they were agreed by its members at their first meeting.",
)

MISSION = (
    "The United Nations system in {place} establishes {fullname} ({Net_short}) to ensure effective, timely and "
    "coordinated system-wide support to {gov} in the implementation, follow-up and review of the Global Compact "
    "for Safe, Orderly and Regular Migration (GCM).",
    "{Net} {modal} support {gov} in implementing, following up and reviewing the GCM, where a common United "
    "Nations approach would add value.",
    "The purpose of {net} is to facilitate coordinated UN support to the implementation, follow-up and review of "
    "the GCM in {place}.",
)
RIGHTS = (
    "In carrying out its mandate, {net} {modal} prioritize the rights and well-being of migrants and their "
    "communities of origin, transit and destination.",
    "{Net} {modal} place the rights and wellbeing of all migrants and their communities at the centre of its work.",
    "The human rights and well-being of migrants and their families {modal} guide every action of {net}.",
)
GUIDED_LEAD = ("In all its actions, {net} {modal} be guided, inter alia, by ",
               "{Net} {modal} be guided by ", "The work of {net} {modal} be guided by ")
GUIDES = {"charter": ("the United Nations Charter", "the UN Charter", "the Charter of the United Nations"),
          "law": ("international law", "relevant international laws and instruments", "international human rights law"),
          "agenda": ("the 2030 Agenda for Sustainable Development", "the Sustainable Development Goals (SDGs)",
                     "the 2030 Agenda and its Sustainable Development Goals"),
          "gcm": ("the GCM", "the Global Compact for Safe, Orderly and Regular Migration", "the guiding principles of the GCM")}

OBJECTIVES = (  # paraphrases of the nine objectives of the global ToR, then local ones
    "Ensure effective, timely and coordinated UN system-wide support to {gov} in the implementation, follow-up and review of the GCM",
    "Support coherent action by the UN system at country, regional and global levels in support of GCM implementation",
    "Act as a source of ideas, tools, reliable data and information, analysis and policy guidance on migration issues",
    "Promote the application of international and regional norms and standards relating to migration and the protection of the human rights of migrants",
    "Provide leadership to mobilize coordinated and collaborative action on migration, including by speaking with one voice as appropriate",
    "Ensure close collaboration with other existing coordination mechanisms addressing migration, seeking synergies and avoiding duplication",
    "Support the capacity-building mechanism established in the GCM, including the Migration Multi-Partner Trust Fund",
    "Engage with external partners, including migrants, civil society, migrant and diaspora organizations, local authorities, the private sector, employers' and workers' organizations, trade unions, academia and the media",
    "Report to the global UN Network on Migration and contribute to the Secretary-General's biennial report on the implementation of the GCM",
    "Strengthen the evidence base on migration through the collection, analysis and dissemination of disaggregated data",
    "Support {gov} in mainstreaming migration into the Cooperation Framework and national development plans",
    "Promote regular pathways for labour mobility and decent work for migrant workers",
    "Support the prevention of trafficking in persons and the smuggling of migrants, and the protection of their victims",
    "Facilitate access to basic services for migrants, regardless of their migration status",
    "Support the safe and dignified return and the sustainable reintegration of returning migrants",
)
OBJECTIVE_LEADS = ("The objectives of {net} are to:", "{Net} {modal} pursue the following objectives:",
                   "To implement its mission, {net} commits to carry out the following functions:",
                   "In support of its mission, {net} {modal}:")

PRINCIPLES = (("Accountability", "members are accountable for implementing the decisions they agree"),
              ("Human rights-based, gender-responsive and child-sensitive approach",
               "the network upholds the human rights of all migrants, especially those in vulnerable situations"),
              ("Coherence", "the network draws on the mandates and expertise of its members"),
              ("Unity of purpose", "members are jointly committed to the success of the network"),
              ("Efficiency", "the network is aligned with existing coordination mechanisms and avoids duplication"),
              ("Inclusivity", "the network works in an inclusive, systematic, predictable and transparent manner"),
              ("Results-oriented", "the network focuses on supporting the progress of {gov}"),
              ("Agility", "the network reviews and recalibrates its methods regularly"))
PRINCIPLES_BY_REFERENCE = ("{Net} {modal} adopt the working principles of the global UN Network on Migration.",
                           "The working principles of the global Network apply to {net} in full.")

OPEN_MEMBERSHIP = ("{Net} {modal} consist of those UN entities present in {place} that wish to be part of it.",
                   "Membership of {net} is open to all United Nations entities that wish to join.",
                   "All UN agencies, funds and programmes working in {place} and wishing to join may become members of {net}.")
MEMBERS_LIST = ("The members of {net} are {members}.", "At its establishment, {net} comprises {members}.",
                "Current members include {members}, and other interested UN agencies.")

COORDINATOR = {
    "active": ("{coord} {modal} serve as the Coordinator of {net}.", "{coord} {modal} coordinate {net} and chair its meetings.",
               "{Net} {modal} be convened by {coord} as its Coordinator."),
    "passive": ("{Net} {modal} be coordinated by {coord}.", "The coordination of {net} is ensured by {coord}.",
                "Coordination of {net} {modal} be provided by {coord}."),
}
SECRETARIAT = {
    "active": ("{sec} {modal} provide the Secretariat of {net}.", "{sec} {modal} act as Secretariat and support the Coordinator.",
               "{sec}, acting as Secretariat, {modal} prepare agendas, circulate minutes and maintain the list of members."),
    "passive": ("Secretariat support {modal} be provided by {sec}.", "The Secretariat of {net} is hosted by {sec}.",
                "Secretariat functions {modal} be performed by {sec}."),
}
CO_CHAIR = ("{Net} {modal} be co-chaired by the UN Resident Coordinator and the Head of the {coord} office in {place}.",
            "The Resident Coordinator and {coord} {modal} co-chair the meetings of {net}.")
COORD_DUTIES = ("Convene and chair meetings to ensure the smooth functioning of {net}",
                "Facilitate regular interaction between the members of {net}",
                "Monitor progress of the work plan and of the decisions taken by {net}",
                "Brief the UN Country Team and {gov} on the activities of {net}",
                "Maintain the list of members and the record of meetings",
                "Identify funding opportunities for joint activities")

CORE_GROUP = ("Within {net}, a {core} {modal} be established, comprised of {members}, entities with clear mandates and "
              "technical expertise in migration-related fields.",
              "A {core} composed of {members} {modal} provide overall guidance and set strategic priorities.",
              "{members} {modal} form the {core}, which {modal} meet monthly to steer the work of {net}.")
WORKING_GROUPS = ("{Net} may establish working groups or task teams on specific issues, as needs and opportunities emerge.",
                  "Thematic working groups {modal} be set up on a permanent or ad hoc basis and report to {net}.",
                  "Task teams may be created by decision of {net}, with their own terms of reference, co-chairs and time-bound workplans.")

CONSENSUS = ("{Net} {modal} endeavour to take all decisions by consensus.",
             "Decisions {modal} be made by consensus after full consultation with all members.",
             "Decisions of {net} are taken by consensus of its members.")
MANDATES = ("All decisions {modal} be taken in full respect of the mandates of the members of {net}.",
            "Decisions {modal} respect the respective mandates of member entities.")

MEETINGS = ("{Net} {modal} meet on a quarterly basis, or more often as needed.", "{Net} {modal} meet every month.",
            "Regular meetings {modal} be held at least every two months, in person or online.")
ANNUAL = ("There {modal} be at least one annual meeting of the full membership, with relevant stakeholders, to review progress.",
          "{Net} {modal} review its progress at an annual meeting and agree on its annual work plan.",
          "Progress against the annual work plan {modal} be reviewed every year.")
STAKEHOLDERS = ("{Net} {modal} engage with migrants, civil society, migrant and diaspora organizations, local authorities, "
                "the private sector, employers' and workers' organizations, academia and the media.",
                "External partners, including civil society organizations, trade unions, national human rights institutions "
                "and migrants themselves, {modal} be invited to contribute to the work of {net}.")
REPORTING = ("{Net} {modal} report on its activities to the global UN Network on Migration and contribute to the "
             "Secretary-General's biennial report.",
             "{Net} {modal} provide regular updates and inputs to the global Network and to the regional review of the GCM.")

CONFLICTS = {
    "secretariat": ("{other} {modal} provide the Secretariat of {net}.", "Secretariat support {modal} be provided by {other}."),
    "coordinator": ("{other} {modal} serve as the Coordinator of {net}.", "{Net} {modal} be coordinated by {other}."),
    "majority": ("Decisions {modal} be taken by a simple majority of the members present and voting.",
                 "Where consensus cannot be reached, decisions {modal} be taken by a two-thirds majority vote."),
    "biennial": ("The full membership of {net} {modal} meet every two years to review progress.",
                 "{Net} {modal} hold a biennial meeting, instead of an annual meeting, to review its work."),
}

ACTIVITY_VERBS = ("Support", "Promote", "Facilitate", "Strengthen", "Coordinate", "Provide technical assistance on",
                  "Advocate for", "Map existing initiatives on", "Organize joint trainings on", "Develop guidance on")
ACTIVITY_QUALIFIERS = ("in line with national priorities", "in cooperation with {gov}",
                       "at national and sub-national levels", "with a focus on women and children",
                       "through joint programmes", "drawing on the expertise of member entities",
                       "in border areas and main cities", "with the participation of civil society")
GOVERNMENT_BODIES = ("the Government of {place}", "the Ministry of Labour", "the Ministry of the Interior",
                     "the State Migration Service", "the National Commission on Migration",
                     "the Ministry of Foreign Affairs", "national and local authorities", "the Member States of the region")
HUBS = ("Bangkok", "Nairobi", "Dakar", "Panama City", "Cairo", "Brussels", "Geneva", "Amman", "Pretoria", "Santiago")

MINUTES_ITEMS = ("Adoption of the agenda", "Update on the work plan", "Preparation of the regional review",
                 "Data and evidence on migration", "Joint advocacy messages", "Any other business")
MINUTES_POINTS = ("{org} presented an update on its activities on {topic}.",
                  "Members discussed how to support {gov} on {topic}.",
                  "{org} proposed a joint briefing on {topic} for the UN Country Team.",
                  "It was agreed that {org} would circulate a concept note on {topic} before the next meeting.",
                  "The Secretariat recalled the deadline for inputs on {topic}.")
