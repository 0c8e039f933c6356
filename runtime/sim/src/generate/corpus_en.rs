//! English phrase banks, one set of scenarios per queue.
//!
//! Written from scratch for this simulator as an independent test set: the situations are the
//! ones a mid-sized software-and-webshop company sees, phrased the way customers and colleagues
//! actually write (run-on sentences, half-finished thoughts, pasted error text).

use super::text::{Lang, QueueText, Scenario};

pub static EN: Lang = Lang {
    queues: &QUEUE_TEXTS,
    greetings: &[
        "Hi,",
        "Hello,",
        "Hi there,",
        "Dear Support Team,",
        "Good morning,",
        "Hey,",
        "Hello team,",
        "Dear Sir or Madam,",
        "Hi {agent},",
        "To whom it may concern,",
        "Morning all,",
    ],
    openers: &[
        "Hope you're doing well.",
        "I'm reaching out because of an issue we noticed this week.",
        "Sorry to bother you again.",
        "First time writing in here, hope this is the right place.",
        "Following up on something that came up yesterday.",
        "Quick one from our side.",
        "I was told by a colleague to contact you directly.",
    ],
    closings: &[
        "Thanks in advance!",
        "Any help is appreciated.",
        "Looking forward to your reply.",
        "Thanks,",
        "Cheers,",
        "Best regards,",
        "Kind regards,",
        "Thank you for your help.",
        "Let me know if you need anything else from me.",
        "Regards,",
        "Many thanks,",
    ],
    signature_roles: &[
        "Office Manager",
        "Head of Operations",
        "IT Administrator",
        "Purchasing",
        "Founder",
        "Accounts Payable",
        "Team Lead Logistics",
        "Marketing Coordinator",
        "",
    ],
    phone_prefix: "+44 20 ",
    sent_from: &[
        "Sent from my iPhone",
        "Sent from Outlook for Android",
        "Sent from my Galaxy",
    ],
    quote_header: "On {date}, Support Team <support@helpdesk.example> wrote:",
    quoted_lines: &[
        "Thank you for contacting us. We have received your request and will get back to you shortly.",
        "Could you please send us a screenshot of the error message?",
        "We have forwarded your request to the responsible team.",
        "Please let us know if the problem persists after the update.",
        "Your ticket has been marked as resolved. If you need further help, simply reply to this email.",
    ],
    reply_prefix: "RE: ",
    forward_prefix: "FW: ",
    urgency: [
        &[
            "No rush on this one.",
            "Whenever you get a chance.",
            "Just curious, really.",
            "It's not urgent, just wanted to flag it.",
            "Low priority from our side.",
            "Please have a look when things are quieter.",
        ],
        &[
            "Would be great to get this sorted this week.",
            "We can work around it for now, but it's annoying.",
            "A few people on the team have asked about it.",
            "Could you look into it in the next couple of days?",
        ],
        &[
            "This is starting to affect our customers.",
            "We need this fixed by tomorrow at the latest.",
            "Several colleagues can't do their work properly because of this.",
            "Please treat this with priority, our month-end close depends on it.",
            "This is the third time this month, we really need a solution now.",
        ],
        &[
            "URGENT: everything is at a standstill here.",
            "This is blocking our entire team RIGHT NOW.",
            "We are losing orders every minute this continues!!",
            "Please escalate immediately, our go-live is today.",
            "Production is down. Call me on my mobile as soon as you read this.",
            "Critical: our customers cannot check out at all.",
        ],
    ],
    urgent_subject_prefixes: &["URGENT: ", "URGENT - ", "!!! ", "CRITICAL: ", "ASAP: "],
    vague_subjects: &[
        "Problem",
        "Help!!",
        "question",
        "issue",
        "Re: your email",
        "not working",
        "Request",
        "(no subject)",
        "?",
    ],
    vague_lines: &[
        "It doesn't work again. Please check.",
        "Same problem as last time, can someone call me back?",
        "Hello, I have a question, please contact me.",
        "see attached",
        "Something is wrong with my account I think.",
        "Can you help me with this?? Thanks",
        "Please advise.",
    ],
};

static QUEUE_TEXTS: [QueueText; 10] = [
    QueueText {
        queue: "Technical Support",
        scenarios: &[
            Scenario {
                subjects: &[
                    "{app} crashes on startup",
                    "App keeps closing after update to {version}",
                    "Crash when opening the dashboard",
                ],
                lines: &[
                    "Since updating to version {version} the {app} closes as soon as I open the dashboard.",
                    "The error shown is: {error}",
                    "I already reinstalled it twice and cleared the cache, no change.",
                    "It happens on my {device} but not on my colleague's.",
                    "Rolling back to the previous version fixes it, but that can't be the solution.",
                ],
            },
            Scenario {
                subjects: &[
                    "Two-factor code not accepted",
                    "Can't log in anymore",
                    "Login loop after password change",
                ],
                lines: &[
                    "When I enter the code from my authenticator app it just says the code is invalid.",
                    "I changed my password on {date} and since then the login page keeps reloading.",
                    "The clock on my phone is set automatically so it shouldn't be a time issue.",
                    "I get '{error}' after entering my credentials.",
                    "Tried in Chrome and Firefox, same behaviour.",
                ],
            },
            Scenario {
                subjects: &[
                    "Webhook deliveries failing with {code}",
                    "API integration returns {code}",
                    "Sync with {product} stopped",
                ],
                lines: &[
                    "Our integration has been getting HTTP {code} responses since {time} today.",
                    "Nothing changed on our side, same API key and endpoint as before.",
                    "Here's the response body: {error}",
                    "The sync between {product} and our ERP stopped around {time}, {count} records are stuck.",
                    "Is there a way to replay the failed webhook events?",
                ],
            },
            Scenario {
                subjects: &[
                    "Reports extremely slow",
                    "Export takes forever",
                    "Dashboard timing out",
                ],
                lines: &[
                    "Generating the monthly report takes more than {count} minutes now, it used to be seconds.",
                    "Sometimes it ends with '{error}'.",
                    "We have roughly {count}k rows in the account, not sure if that matters.",
                    "The CSV export gets stuck at 99%.",
                ],
            },
            Scenario {
                subjects: &[
                    "CSV import fails at row {row}",
                    "Import error",
                    "Bulk upload rejected",
                ],
                lines: &[
                    "The import stops at row {row} with the message '{error}'.",
                    "The file is UTF-8 with semicolons, exported from Excel.",
                    "Row {row} looks completely normal to me, I attached the file.",
                    "Smaller files with under {count} lines work fine.",
                ],
            },
        ],
    },
    QueueText {
        queue: "Product Support",
        scenarios: &[
            Scenario {
                subjects: &[
                    "How do I set up recurring invoices?",
                    "Question about {feature}",
                    "Where is the {feature} setting?",
                ],
                lines: &[
                    "I'm trying to figure out how {feature} works in {product}.",
                    "The help article mentions a toggle under Settings but I don't see it.",
                    "Is this only available on the {plan} plan?",
                    "After the redesign I can't find the {feature} button anymore.",
                    "A short step-by-step would really help our new team members.",
                ],
            },
            Scenario {
                subjects: &[
                    "Feature request: {feature}",
                    "Suggestion for {product}",
                    "Would love to see {feature}",
                ],
                lines: &[
                    "It would be really useful if {product} supported {feature}.",
                    "Right now we do this manually in a spreadsheet every week.",
                    "Is this on the roadmap by any chance?",
                    "Happy to jump on a call and explain our use case.",
                ],
            },
            Scenario {
                subjects: &[
                    "Difference between {plan} and Enterprise templates?",
                    "Which option should I use?",
                    "Best way to configure user roles",
                ],
                lines: &[
                    "We want managers to approve expenses but not edit them, which role should they get?",
                    "What exactly is the difference between the {plan} templates and the Enterprise ones?",
                    "Can I limit what the guest users see in {product}?",
                    "The documentation is a bit vague on this point.",
                ],
            },
            Scenario {
                subjects: &[
                    "Mobile app missing offline mode?",
                    "Can {product} do multi-currency?",
                    "Does {product} support SSO?",
                ],
                lines: &[
                    "Does the mobile app of {product} work offline, e.g. on a train?",
                    "We invoice in EUR and GBP, can {product} handle both in one account?",
                    "Our IT wants to know if SAML single sign-on is supported.",
                    "We're evaluating whether to roll it out to the whole department.",
                ],
            },
        ],
    },
    QueueText {
        queue: "Customer Service",
        scenarios: &[
            Scenario {
                subjects: &[
                    "Where is my order {order}?",
                    "Delivery delayed",
                    "Parcel still not here",
                ],
                lines: &[
                    "I ordered on {date} (order {order}) and still haven't received anything.",
                    "The tracking page has said 'in transit' for {count} days.",
                    "The confirmation said delivery in 2-3 working days.",
                    "Can you check with the courier please?",
                ],
            },
            Scenario {
                subjects: &[
                    "Complaint about your hotline",
                    "Very disappointed",
                    "Nobody calls back",
                ],
                lines: &[
                    "I've been promised a callback three times now and nobody called.",
                    "The person on the phone on {date} was quite rude to be honest.",
                    "I've been a customer for {count} years and never had this kind of experience.",
                    "I'd like to speak to a supervisor.",
                ],
            },
            Scenario {
                subjects: &[
                    "Change of address",
                    "Update my contact details",
                    "New delivery address",
                ],
                lines: &[
                    "We moved office, please update the address on our account to {address}.",
                    "Please change the contact person for our account to {person}.",
                    "Can you also make sure future orders go to the new address?",
                    "Our customer number is {customer}.",
                ],
            },
            Scenario {
                subjects: &[
                    "Unsubscribe from newsletter",
                    "Stop sending me emails",
                    "Delete my account",
                ],
                lines: &[
                    "I keep getting marketing emails even though I unsubscribed twice.",
                    "Please remove my data and close my customer account.",
                    "The unsubscribe link leads to an error page.",
                    "Please confirm once this is done.",
                ],
            },
        ],
    },
    QueueText {
        queue: "IT Support",
        scenarios: &[
            Scenario {
                subjects: &[
                    "VPN not connecting",
                    "Can't reach the intranet from home",
                    "VPN drops every few minutes",
                ],
                lines: &[
                    "Since this morning the VPN client says '{error}'.",
                    "I'm working from home today and can't reach any internal drives.",
                    "The connection drops every {count} minutes and I have to log in again.",
                    "My laptop is the {device}, asset tag {asset}.",
                ],
            },
            Scenario {
                subjects: &[
                    "New starter on Monday - accounts needed",
                    "Onboarding {person}",
                    "Access request for new colleague",
                ],
                lines: &[
                    "{person} starts in our team on Monday and needs an email account, laptop and access to the shared drive.",
                    "Please also add them to the 'Sales-DE' distribution list.",
                    "Same permissions as me would be fine.",
                    "Can the laptop be ready by 9am?",
                ],
            },
            Scenario {
                subjects: &[
                    "Printer on 3rd floor jammed again",
                    "Printer offline",
                    "Cannot print to {printer}",
                ],
                lines: &[
                    "The printer {printer} shows paper jam but there's no paper stuck anywhere.",
                    "Print jobs just stay in the queue.",
                    "We have a client meeting at 2pm and need handouts.",
                    "Restarting it didn't help.",
                ],
            },
            Scenario {
                subjects: &[
                    "Outlook password reset",
                    "Locked out of my account",
                    "Shared mailbox not showing",
                ],
                lines: &[
                    "I got locked out after too many attempts, please reset my password.",
                    "The shared mailbox 'accounting@' disappeared from Outlook after the update.",
                    "My username is {user}.",
                    "Teams also keeps asking for my password.",
                ],
            },
            Scenario {
                subjects: &[
                    "Monitor flickering",
                    "Laptop very slow",
                    "Docking station not detected",
                ],
                lines: &[
                    "My second monitor flickers and turns black every few seconds.",
                    "The laptop fan is constantly loud and everything is slow since the last Windows update.",
                    "The docking station isn't detected anymore, USB devices don't work either.",
                    "Asset tag is {asset}.",
                ],
            },
        ],
    },
    QueueText {
        queue: "Billing and Payments",
        scenarios: &[
            Scenario {
                subjects: &[
                    "Charged twice for invoice {invoice}",
                    "Double payment",
                    "Duplicate charge on my card",
                ],
                lines: &[
                    "My credit card was charged twice for invoice {invoice}, {amount} each time.",
                    "Please refund the duplicate payment.",
                    "I can send you the bank statement if needed.",
                    "The charges are both dated {date}.",
                ],
            },
            Scenario {
                subjects: &[
                    "VAT ID missing on invoice",
                    "Invoice correction needed",
                    "Wrong company name on invoice {invoice}",
                ],
                lines: &[
                    "Our VAT number is missing on invoice {invoice}, our accounting can't book it like this.",
                    "The company name should be '{company}' not the old one.",
                    "Could you send a corrected invoice please?",
                    "We need it before the end of the month for our tax return.",
                ],
            },
            Scenario {
                subjects: &[
                    "Update payment method",
                    "New credit card",
                    "Switch to invoice payment",
                ],
                lines: &[
                    "Our company card expires this month, how do I add the new one?",
                    "We'd prefer to pay by bank transfer instead of card from now on.",
                    "The billing page gives me '{error}' when I try to save the card.",
                    "Our subscription renews on {date}.",
                ],
            },
            Scenario {
                subjects: &[
                    "Direct debit failed",
                    "Payment reminder received but already paid",
                    "Dunning letter for {invoice}",
                ],
                lines: &[
                    "We received a payment reminder for {invoice} but we paid {amount} on {date}.",
                    "The direct debit was returned by our bank, not sure why.",
                    "Please stop the dunning process, the money should be with you.",
                    "Reference used for the transfer: {invoice}.",
                ],
            },
        ],
    },
    QueueText {
        queue: "Returns and Exchanges",
        scenarios: &[
            Scenario {
                subjects: &[
                    "Return request for order {order}",
                    "I want to return an item",
                    "Return label please",
                ],
                lines: &[
                    "I'd like to return the {item} from order {order}, it doesn't fit our needs.",
                    "It's unused and still in the original packaging.",
                    "Could you send me a return label?",
                    "The order arrived on {date}, so I'm still within the 30 days.",
                ],
            },
            Scenario {
                subjects: &[
                    "Wrong size delivered",
                    "Exchange for a different model",
                    "Received the wrong item",
                ],
                lines: &[
                    "I ordered the {item} in size L but received M.",
                    "Can I exchange it instead of returning and reordering?",
                    "The box contained a completely different product than order {order}.",
                    "Please let me know how to send it back.",
                ],
            },
            Scenario {
                subjects: &[
                    "Item arrived damaged",
                    "Broken on arrival",
                    "Defective {item}",
                ],
                lines: &[
                    "The {item} arrived with a cracked housing, photos attached.",
                    "The packaging was already damaged when the courier handed it over.",
                    "I want a replacement, not a refund.",
                    "Order number {order}.",
                ],
            },
            Scenario {
                subjects: &[
                    "Refund for returned item?",
                    "Return received?",
                    "Still waiting for my refund",
                ],
                lines: &[
                    "I sent the {item} back on {date} with tracking {tracking}.",
                    "It's been {count} days and I haven't received the refund of {amount}.",
                    "The tracking shows it was delivered to your warehouse.",
                    "Can you confirm the return was processed?",
                ],
            },
        ],
    },
    QueueText {
        queue: "Service Outages and Maintenance",
        scenarios: &[
            Scenario {
                subjects: &[
                    "Is {service} down?",
                    "Service unavailable",
                    "{service} not reachable",
                ],
                lines: &[
                    "{service} hasn't been reachable since about {time}.",
                    "We get '{error}' on every page.",
                    "Your status page still shows all green.",
                    "Is there a known outage?",
                    "Checked from two different networks in {city}, same result.",
                ],
            },
            Scenario {
                subjects: &[
                    "Maintenance window tonight?",
                    "Planned maintenance question",
                    "Downtime on {date}?",
                ],
                lines: &[
                    "We got the notice about the maintenance on {date}, how long will {service} be unavailable?",
                    "Will the API also be affected or only the web interface?",
                    "We have a batch job scheduled at {time}, should we move it?",
                    "Please confirm the exact time window in CET.",
                ],
            },
            Scenario {
                subjects: &[
                    "Emails delayed by hours",
                    "Notifications not sent",
                    "Very high latency since {time}",
                ],
                lines: &[
                    "Notification emails from {service} arrive with a delay of several hours.",
                    "Response times went from milliseconds to {count} seconds since {time}.",
                    "It looks like a problem in your data center rather than on our side.",
                    "Several of our customers in {city} report the same thing.",
                ],
            },
        ],
    },
    QueueText {
        queue: "Sales and Pre-Sales",
        scenarios: &[
            Scenario {
                subjects: &[
                    "Quote for {count} licences",
                    "Pricing for a larger team",
                    "Volume discount?",
                ],
                lines: &[
                    "We're looking at {product} for about {count} users, could you send us a quote?",
                    "Do you offer discounts for annual billing or nonprofits?",
                    "We'd need the quote in EUR including VAT.",
                    "Our budget decision is on {date}.",
                ],
            },
            Scenario {
                subjects: &[
                    "Demo request",
                    "Can we book a product demo?",
                    "Interested in {product}",
                ],
                lines: &[
                    "We'd like to see a demo of {product} with a focus on {feature}.",
                    "Our team is available {weekday} afternoon.",
                    "We're currently using a competitor and are considering switching.",
                    "Who would be our account manager?",
                ],
            },
            Scenario {
                subjects: &[
                    "On-premise version available?",
                    "Trial extension",
                    "Contract terms question",
                ],
                lines: &[
                    "Do you offer an on-premise or private-cloud version of {product}?",
                    "Our trial ends on {date}, could it be extended by two weeks? Procurement is slow.",
                    "What is the minimum contract term for the {plan} plan?",
                    "Is a data processing agreement included?",
                ],
            },
        ],
    },
    QueueText {
        queue: "Human Resources",
        scenarios: &[
            Scenario {
                subjects: &[
                    "Question about my payslip for {month}",
                    "Payslip looks wrong",
                    "Overtime not paid",
                ],
                lines: &[
                    "My payslip for {month} is missing the overtime I worked.",
                    "The tax class seems to be wrong since {month}.",
                    "Could someone from payroll have a look?",
                    "Employee ID {employee}.",
                ],
            },
            Scenario {
                subjects: &[
                    "Parental leave application",
                    "Vacation days remaining",
                    "Request for unpaid leave",
                ],
                lines: &[
                    "I'd like to apply for parental leave starting {date}.",
                    "How many vacation days do I have left for this year?",
                    "Which form do I need and who has to sign it?",
                    "My manager already agreed informally.",
                ],
            },
            Scenario {
                subjects: &[
                    "Change of bank details",
                    "New address for payroll",
                    "Sick note",
                ],
                lines: &[
                    "Please update my bank account for salary payments from next month.",
                    "I'm sick since {date}, the doctor's note is attached.",
                    "I moved, my new address is {address}.",
                    "Employee ID {employee}.",
                ],
            },
            Scenario {
                subjects: &[
                    "Reference letter request",
                    "Question about the pension scheme",
                    "Training budget",
                ],
                lines: &[
                    "I'd need an interim reference letter for a course application.",
                    "How does the company pension scheme work if I reduce my hours?",
                    "Is there still training budget available for this year?",
                    "Thanks for handling this confidentially.",
                ],
            },
        ],
    },
    QueueText {
        queue: "General Inquiry",
        scenarios: &[
            Scenario {
                subjects: &[
                    "Opening hours over the holidays",
                    "Are you open on {weekday}?",
                    "Office hours",
                ],
                lines: &[
                    "What are your opening hours between Christmas and New Year?",
                    "Is the hotline also available on {weekday}s?",
                    "I couldn't find this on the website.",
                ],
            },
            Scenario {
                subjects: &[
                    "Do you have an office in {city}?",
                    "Visiting your office",
                    "Contact person",
                ],
                lines: &[
                    "Do you have an office or partner in {city}?",
                    "Who would be the right contact person for a general question like this?",
                    "I'll be in {city} next week and could drop by.",
                ],
            },
            Scenario {
                subjects: &[
                    "Press inquiry",
                    "Partnership proposal",
                    "Student project question",
                ],
                lines: &[
                    "I'm writing an article about companies in our region and would love a short statement.",
                    "We'd like to propose a partnership between our organisations.",
                    "For my thesis I'm looking for companies willing to answer a short survey.",
                    "Who should I address this to?",
                ],
            },
            Scenario {
                subjects: &[
                    "Feedback",
                    "Just wanted to say thanks",
                    "Suggestion for your website",
                ],
                lines: &[
                    "Just wanted to say that your colleague {person} was extremely helpful last week.",
                    "The contact form on your website doesn't show a confirmation after sending.",
                    "Keep up the good work!",
                ],
            },
        ],
    },
];
