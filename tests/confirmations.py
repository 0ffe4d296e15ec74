"""Which page POST asks before it is sent: every page POST route, classified once.

IRREVERSIBLE  route -> why it cannot be undone. Its form carries data-confirm (app.js opens a
              dialog naming the consequence; see components/confirm_form.html and
              components/action_form.html). A step is irreversible when nobody can undo it in
              the product, or when it tells other people, moves money, publishes or decides:
              accept, reject, approve, close, withdraw, cancel, delete, publish, pay, end, open
              or close a vote, a status change of a member, merging or closing units.
REVERSIBLE    route -> why no question is asked: a save that can be edited again, a draft, a
              filter or a look-up, a new request that its author may still withdraw (or that
              only waits for a handler's decision), one turn of an open conversation (it
              decides nothing and the next message corrects it), adding a line that can be
              removed, the language switch, marking a notification read.
STEPPED       irreversible routes whose page first posts a preview to the same URL (an upload
              that only shows what would change): at least one form to them asks, the
              preview form does not.

tests/test_confirmations.py checks that every page POST route of the access tables (and
every route a rendered page's form posts to) is in exactly one of the two tables, and that
the pages ask for every irreversible one.
"""

from __future__ import annotations

IRREVERSIBLE: dict[str, str] = {
    # --- accounts and core ---------------------------------------------------------------
    "accounts:activation-slips": "new activation codes: every slip printed before is void",
    "accounts:activation-sms": "sends a text message to every selected member",
    "accounts:backup-codes": "new backup codes: the ones written down before stop working",
    "core:inbox-read-all": "every unread notification is marked read; none can be unread again",
    "core:follow-up-complete": "closes the call-back of a 不满意 rating with its record",
    # --- org -----------------------------------------------------------------------------
    "org:join-review-detail": "approves or refuses the application; the applicant is told",
    "org:member-status": "a member's status change (leaving, suspended): told and on record",
    "org:member-bulk": "the status change of every selected member at once",
    "org:member-transfer": "moves the member to another union; the receiving unit takes over",
    "org:member-import": "adds and updates members (transfers included) in one go",
    "org:unit-close": "closes a union unit for good",
    "org:unit-merge": "merges two units: the members move, the merged unit closes",
    "org:department-close": "closes a department for good",
    "org:department-merge": "merges two departments: the merged one closes",
    "org:dues-generate": "writes the month's dues records of every member (never deleted)",
    "org:dues-pay": "records money received for the selected dues; the ledger keeps it",
    "org:dues-import": "the import's confirmation writes the payroll deductions (preview first)",
    # --- cases ---------------------------------------------------------------------------
    "cases:box-rate": "the rating of the answer is final and closes the letter",
    "cases:grievance-answer": "the answer goes to the worker and the case waits for rating",
    "cases:grievance-assign": "hands the case to a department; the handler is told",
    "cases:grievance-transfer": "the case leaves this union for another organisation",
    "cases:grievance-publish": "publishes the case (anonymised) for every member to read",
    "cases:grievance-rate": "the worker's rating is final and closes the case",
    "cases:grievance-withdraw": "withdraws the grievance; it cannot be reopened",
    "cases:knowledge-delete": "deletes the knowledge entry for good",
    "cases:routing-delete": "deletes the routing rule; new cases are routed without it",
    "cases:mediation-accept": "accepts the mediation and appoints a mediator; parties told",
    "cases:mediation-decline": "refuses the mediation request; the applicant is told",
    "cases:mediation-agree": "records the agreement: the mediation ends",
    "cases:mediation-fail": "ends the mediation without agreement",
    "cases:mediation-withdraw": "withdraws the mediation request; it cannot be reopened",
    # --- assistance ----------------------------------------------------------------------
    "assistance:application-review": "passes the first review: on to the committee",
    "assistance:application-rate": "the applicant's rating is final (the satisfaction index)",
    "assistance:application-decline": "refuses the application at first review; applicant told",
    "assistance:application-publish": "publishes the public notice (公示) of the application",
    "assistance:objection-resolve": "decides an objection to a public notice",
    "assistance:application-approve": "approves the aid: the application becomes payable",
    "assistance:application-reject": "refuses the aid; the applicant is told",
    "assistance:application-withdraw": "withdraws the application; it cannot be reopened",
    "assistance:run-approve": "approves the payment run: the money is paid out",
    "assistance:run-reject": "sends the payment run back to its maker",
    "assistance:run-cancel": "cancels the payment run for good",
    "assistance:fund-income": "an entry in the fund's ledger: never edited, only reversed",
    "assistance:entry-reverse": "a reversing entry in the ledger: permanent",
    "assistance:file-exit": "closes the hardship file (the member leaves the registry)",
    "assistance:file-household-remove": "deletes the household member's line for good",
    "assistance:file-expense-remove": "deletes the expense line for good",
    "assistance:visit-complete": "records the visit as done; the record is final",
    "assistance:visit-cancel": "cancels the planned visit for good",
    # --- notices -------------------------------------------------------------------------
    "notices:notice-publish": "publishes the notice to every member of its audience",
    "notices:notice-withdraw": "withdraws the notice: its readers can no longer open it",
    "notices:notice-remind": "sends a reminder to every non-reader in the sender's scope",
    # --- congress ------------------------------------------------------------------------
    "congress:session-transition": "starts check-in, opens or closes the session",
    "congress:checkin-all-present": "checks in every representative not yet checked in",
    "congress:checkin-hall-code": "a new hall code: the printed one stops working",
    "congress:item-action": "opens or closes an agenda item's vote, or deletes the item",
    "congress:item-open-paper": "the item is voted on paper: no online vote any more",
    "congress:election-action": "opens or closes the election's vote, or seats the elected",
    "congress:election-withdraw": "takes a candidate off the slate",
    "congress:rep-end": "ends a representative's mandate",
    "congress:proposal-submit": "submits the proposal for review: it can no longer be edited",
    "congress:proposal-withdraw": "withdraws the proposal for good",
    "congress:proposal-accept": "accepts the proposal (立案); the proposer is told",
    "congress:proposal-reject": "refuses the proposal (不予立案); the proposer is told",
    "congress:proposal-merge": "merges the proposal into another one; it is closed",
    "congress:proposal-assign": "assigns the lead department; it is told",
    "congress:proposal-reassign": "changes the handling departments; they are told",
    "congress:proposal-supervise": "a formal supervision notice (督办) to the department",
    "congress:proposal-carry-over": "carries the proposal over to the next session",
    "congress:proposal-answer": "the department's answer goes to the proposer",
    "congress:proposal-rate": "the proposer's rating is final",
    "congress:inspection-rectify": "asks a department to rectify a finding; it is told",
    "congress:inspection-finish": "ends the inspection tour: no more findings",
    "congress:rectification-transition": "a step of the rectification: begun, done, "
    "verified or sent back; each is told",
    # --- voting --------------------------------------------------------------------------
    "voting:open": "opens the poll: the roll is frozen, voters are told",
    "voting:close": "closes the poll: no more ballots, the result is final",
    "voting:cast": "a secret ballot cannot be changed once cast",
    "voting:paper-result": "the paper totals become the poll's result",
    # --- disclosure ----------------------------------------------------------------------
    "disclosure:item-publish": "publishes the item to every member it is disclosed to",
    "disclosure:item-revise": "publishes a revision; readers see the new version",
    "disclosure:item-withdraw": "withdraws a published item",
    "disclosure:question-answer": "the answer goes to the asker and cannot be edited",
    "disclosure:question-close": "closes the question without further answer",
    "disclosure:question-withdraw": "withdraws the question for good",
    # --- safety --------------------------------------------------------------------------
    "safety:hazard-transition": "a step of the hazard's handling (assign, dismiss, fix, "
    "verify, reopen): the reporter and the handler are told",
    "safety:supervisor-end": "ends a labour-protection supervisor's appointment",
    # --- services ------------------------------------------------------------------------
    "services:counseling-cancel": "cancels the booking; the counselor is told",
    "services:counseling-rate": "the worker's rating of the appointment is final",
    "services:survey-answer": "the answers are final: each member answers once",
    "services:survey-remind": "sends a reminder to every named survey's non-respondent",
    "services:survey-step": "opens the survey to its audience (questions fixed) or closes it",
    "services:counseling-desk-question-close": "closes the anonymous question for good",
    "services:counseling-desk-slot-cancel": "cancels the slot; everyone booked is told",
    "services:activities-registration-cancel": "gives the place up: it goes to the waiting list",
    "services:activities-offer-decline": "declines the offered place: it goes to the next in line",
    "services:activities-rate": "the attendee's rating of the activity is final",
    "services:activities-publish": "publishes the activity to its audience (and its draw seed)",
    "services:activities-close": "closes registration: members can no longer register",
    "services:activities-finish": "ends the activity: registration over, attendees may rate it",
    "services:activities-cancel": "cancels the activity for good; everyone registered is told",
    "services:activities-draw": "draws the places from the published seed; cannot be redrawn",
    "services:activities-photos": "publishes the photos to the activity's audience",
    "services:clubs-leave": "leaves the interest group (or withdraws the request)",
    "services:clubs-decide": "approves or refuses the request to join; the applicant is told",
    "services:volunteering-withdraw": "withdraws from the shift; the place goes to others",
    "services:volunteering-desk-project-step": "publishes, finishes or cancels the project "
    "(members see it, can no longer sign up, or are told)",
    "services:volunteering-desk-hours-confirm": "confirms the hours: they count and are final",
    "services:volunteering-desk-shift-confirm": "confirms every hour of the shift: final",
    "services:volunteering-desk-drive-new": "publishes the drive to its audience at once",
    "services:volunteering-desk-drive-close": "ends the drive: no more pledges or donations",
    "services:volunteering-desk-donation-new": "money is booked in the assistance fund ledger",
    "services:volunteering-desk-donation-confirm": "money is booked in the assistance fund ledger",
    "services:volunteering-desk-donation-cancel": "the pledge no longer counts",
    # --- services: honours ---------------------------------------------------------------
    "services:honours-desk-new": "records the honour and tells its holder",
    "services:honours-desk-honour-revoke": "revokes the honour: it leaves the worker's pages",
    "services:honours-desk-honour-documents": "the documents are kept for good (no removal)",
    "services:honours-care-items": "a care item due every year from now on, with reminders",
    "services:honours-criteria": "a criterion or pass mark for every assessment from now on",
    "services:honours-assessment-submit": "the self-assessment goes to review, no more edits",
    "services:honours-assessment-documents": "the evidence is kept for good (no removal)",
    "services:honours-assessment-review": "the review's result is final and may record the honour",
    "services:honours-studio-member-add": "the member joins the studio's roll (no removal)",
    "services:honours-studio-result-add": "the result enters the studio's record (no removal)",
}

STEPPED: dict[str, str] = {
    "org:dues-import": "the upload previews the deductions; the confirmation writes them",
}

REVERSIBLE: dict[str, str] = {
    # --- accounts, core, site ------------------------------------------------------------
    "set_language": "the language switch",
    "accounts:logout": "signing out; one signs in again",
    "accounts:password-change": "a new password of one's own; changed again at will",
    "accounts:password-forgot": "asks for a reset; the old password keeps working until then",
    "accounts:activate": "one's own account activation (its own code and password steps)",
    "accounts:two-factor-setup": "one's own two-factor device; set up again at will",
    "accounts:two-factor-disable": "one's own second factor, set up again at will; the form "
    "asks for the password",
    "core:inbox-open": "opens a notification (marks that one read)",
    "core:inbox-read": "marks one notification read",
    # --- notices -------------------------------------------------------------------------
    "notices:notice-create": "saves a draft; nobody sees it until it is published",
    "notices:notice-edit": "a save of the notice, edited again at will",
    "notices:guide-edit": "a save of the service guide, edited again at will",
    # --- org -----------------------------------------------------------------------------
    "org:join": "an application to join; the union decides",
    "org:join-status": "a look-up of one's application",
    "org:card-renew": "a new QR code of one's own card; renewed again at will",
    "org:member-create": "a new roster entry, edited afterwards",
    "org:member-edit": "a roster entry, edited again",
    "org:member-dues-mode": "a setting, changed again",
    "org:member-reveal-id": "a reading, not a change: every view is audited",
    "org:member-export": "a download of the selected members (a reading; audited)",
    "org:unit-create": "a new unit, renamed or moved afterwards",
    "org:unit-rename": "renamed again",
    "org:unit-move": "moved back with the same form",
    "org:unit-dues-mode": "a setting, changed again",
    "org:department-create": "a new department, edited afterwards",
    "org:department-edit": "edited again",
    "org:department-move": "moved back with the same form",
    # --- cases ---------------------------------------------------------------------------
    "cases:box": "an anonymous letter; the union answers it in its conversation",
    "cases:box-follow": "a look-up by receipt code",
    "cases:box-message": "one turn of the letter's conversation",
    "cases:grievance-create": "a new grievance; its author may withdraw it",
    "cases:grievance-ask": "a question to the worker: one turn of the conversation",
    "cases:grievance-info": "the worker's reply or material: one turn of the conversation",
    "cases:knowledge-create": "a new entry, edited or deleted afterwards",
    "cases:knowledge-edit": "edited again",
    "cases:knowledge-suggest": "a look-up of matching entries while typing (htmx)",
    "cases:routing-list": "adds a routing rule, deleted afterwards",
    "cases:mediation-create": "a mediation request; its applicant may withdraw it",
    "cases:mediation-party": "the mediator's record of the parties",
    "cases:mediation-session": "the mediator's record of a session",
    # --- assistance ----------------------------------------------------------------------
    "assistance:apply": "an application; its applicant may withdraw it",
    "assistance:apply-on-behalf": "an application; it may be withdrawn",
    "assistance:notice-detail": "an objection to a public notice; the committee decides it",
    "assistance:campaign-create": "a new campaign; nothing is paid until applications pass",
    "assistance:settings": "the unit's settings, changed again",
    "assistance:file-create": "a new hardship file, edited afterwards",
    "assistance:file-edit": "edited again",
    "assistance:file-household": "adds a household member's line, removed afterwards",
    "assistance:file-expense": "adds an expense line, removed afterwards",
    "assistance:file-review": "the yearly review's record of the file, reviewed again "
    "next year; the file stays open (leaving is file-exit)",
    "assistance:run-create": "prepares a payment run; its maker may cancel it until approval",
    "assistance:visit-create": "a planned visit, cancelled afterwards",
    "assistance:visit-photo": "adds a photo to the visit's working record",
    # --- congress ------------------------------------------------------------------------
    "congress:term-list": "a new term, edited afterwards",
    "congress:term-edit": "edited again",
    "congress:rep-list": "adds a representative, edited or ended afterwards",
    "congress:rep-edit": "edited again",
    "congress:session-schedule": "a planned session, nothing starts until check-in",
    "congress:item-add": "an agenda item, deleted afterwards",
    "congress:checkin-desk": "checks one representative in; the roll call corrects it",
    "congress:checkin-rollcall-mark": "present or absent, marked again",
    "congress:hall-checkin": "the representative's own check-in; the roll call corrects it",
    "congress:my-qr-reset": "a new personal check-in code, reset again at will",
    "congress:election-list": "a new election; nothing opens until its vote is opened",
    "congress:election-nominate": "a nomination; the candidate may be taken off the slate",
    "congress:election-self-nominate": "a nomination; the candidate may be taken off",
    "congress:proposal-create": "a draft proposal, edited until submitted",
    "congress:proposal-edit": "a draft, edited again",
    "congress:proposal-cosign": "co-signs; withdrawn again (proposal-decline) while a draft",
    "congress:proposal-decline": "declines or withdraws a co-signature; signed again while a draft",
    "congress:proposal-invite": "asks one more representative to co-sign the draft",
    "congress:proposal-opinion": "a co-handling department's opinion to the lead one: one "
    "turn of their exchange",
    "congress:inspection-create": "a new tour, edited afterwards",
    "congress:inspection-participants": "the tour's participants, edited again",
    "congress:inspection-finding": "a finding of the tour, recorded while it lasts",
    # --- voting --------------------------------------------------------------------------
    "voting:manage": "a draft poll; nothing is asked of voters until it opens",
    "voting:results": "looks up one's ballot tracker (a verification, not a write)",
    # --- disclosure ----------------------------------------------------------------------
    "disclosure:catalogue-defaults": "loads the default catalogue, each line edited afterwards",
    "disclosure:catalogue-create": "a catalogue line, edited afterwards",
    "disclosure:catalogue-edit": "edited again",
    "disclosure:item-ask": "a question about the item; its asker may withdraw it",
    # --- safety --------------------------------------------------------------------------
    "safety:report": "a hazard report; the union decides what to do with it",
    "safety:supervisors": "appoints a supervisor; the appointment is ended afterwards",
    # --- services ------------------------------------------------------------------------
    "services:counseling-ask": "an anonymous question; the counselor answers",
    "services:activities-register": "a registration; its member may cancel it before the start",
    "services:activities-offer-confirm": "takes the offered place; its member may still cancel",
    "services:activities-new": "a draft, edited and published afterwards",
    "services:activities-edit": "the activity's details, edited again",
    "services:survey-create": "a draft survey, edited and published afterwards",
    "services:survey-edit": "a draft survey's questions, edited again",
    "services:activities-checkin": "records one attendance; the same code again records nothing",
    "services:activities-checkin-tick": "records one attendance; ticking again records nothing",
    "services:clubs-join": "a request to join; its author may withdraw it",
    "services:clubs-new": "a new interest group; nobody is told",
    "services:clubs-leader": "names or removes a leader: set again with the same button",
    "services:counseling-book": "a booking; its worker may cancel it",
    "services:counseling-follow": "a look-up by receipt code",
    "services:counseling-follow-reply": "one turn of the anonymous conversation",
    "services:counseling-desk-outcome": "came or not: marked again (both buttons stay)",
    "services:counseling-desk-note": "the counselor's own note, edited again",
    "services:counseling-desk-slot-new": "a new slot, cancelled afterwards",
    "services:counseling-desk-slot-note": "the counselor's own note, edited again",
    "services:counseling-desk-booking-note": "the counselor's own note, edited again",
    "services:counseling-desk-question": "the counselor's answer: one turn of the "
    "anonymous conversation",
    "services:volunteering-signup": "a sign-up; its member may withdraw before the shift",
    "services:volunteering-pledge": "a pledge; the union confirms or cancels it",
    "services:volunteering-desk-project-new": "a draft project, published afterwards",
    "services:volunteering-desk-shift-new": "a new shift of the project; nobody is told",
    "services:volunteering-desk-hours-record": "the hours, recorded again until confirmed",
    # --- services: honours ---------------------------------------------------------------
    "services:honours-desk-honour-edit": "a correction of the honour, edited again at will",
    "services:honours-care-record": "a care record, corrected by saving it again",
    "services:honours-care-item-active": "retires a care item or uses it again: toggled back",
    "services:honours-criterion-active": "retires a criterion or uses it again: toggled back",
    "services:honours-assessment-new": "a draft self-assessment; nobody is told",
    "services:honours-assessment-scores": "the draft self-assessment, saved again until submitted",
    "services:honours-studio-new": "a new studio record; nobody is told, completed afterwards",
    "services:honours-studio-project-add": "a project line whose status is set again at will",
    "services:honours-studio-project-status": "the project's status, set again at will",
}
