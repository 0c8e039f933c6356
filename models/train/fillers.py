"""Slot fillers shared by the English and German phrase banks.

Kept apart from the phrases so that vocabulary (products, errors, names) varies independently
of sentence structure: a classifier must learn the structure of a request, not a product list.
"""

PRODUCTS = [
    "Pro subscription", "Starter plan", "Business plan", "Enterprise edition", "SmartHub X2",
    "mobile app", "desktop client", "router AX3000", "CRM", "analytics dashboard",
    "wireless headset H7", "label printer LP-200", "Barista One coffee machine", "web shop",
    "REST API", "team workspace", "cloud backup", "Fit 3 smartwatch", "NoiseAway earbuds",
    "ProScan 500 scanner", "e-bike Urban 2", "smart thermostat T4", "photo editor", "Android app",
    "iOS app", "browser extension", "POS terminal", "webcam C920", "standing desk Ergo 5",
    "security camera Eye 2", "accounting module", "inventory tool", "booking widget",
    "Outdoor jacket Alpine", "running shoes Swift", "gaming mouse G12", "tablet Tab 10",
    "vacuum robot R7", "espresso grinder", "noise cancelling headphones", "e-reader Page",
    "invoice module", "ticket portal", "password manager", "file sync client", "smart plug",
    "mesh WiFi kit", "dashcam D3", "fitness tracker", "electric toothbrush", "air purifier",
]

PRODUCTS_DE = [
    "Pro-Abo", "Starter-Tarif", "Business-Tarif", "Enterprise-Version", "SmartHub X2",
    "die App", "den Desktop-Client", "Router AX3000", "das CRM", "das Analyse-Dashboard",
    "Headset H7", "Etikettendrucker LP-200", "Kaffeevollautomat Barista One", "den Webshop",
    "die Schnittstelle (API)", "den Team-Arbeitsbereich", "das Cloud-Backup", "die Smartwatch Fit 3",
    "die Kopfhörer NoiseAway", "den Scanner ProScan 500", "das E-Bike Urban 2",
    "das Thermostat T4", "die Bildbearbeitung", "die Android-App", "die iPhone-App",
    "die Browser-Erweiterung", "das Kassensystem", "die Webcam C920", "den Schreibtisch Ergo 5",
    "die Überwachungskamera Eye 2", "das Buchhaltungsmodul", "die Lagerverwaltung",
    "das Buchungs-Widget", "die Jacke Alpine", "die Laufschuhe Swift", "die Gaming-Maus G12",
    "das Tablet Tab 10", "den Saugroboter R7", "die Kaffeemühle", "den E-Reader Page",
    "das Rechnungsmodul", "das Kundenportal", "den Passwortmanager", "die Sync-Software",
    "die smarte Steckdose", "das Mesh-WLAN", "die Dashcam D3", "den Fitness-Tracker",
    "die elektrische Zahnbürste", "den Luftreiniger",
]

INTERNAL_TOOLS = [
    "Outlook", "Teams", "SAP", "the VPN", "Citrix", "my laptop", "the printer on the 3rd floor",
    "my Windows account", "the MFA app", "SharePoint", "Jira", "Slack", "OneDrive", "Zoom",
    "the shared drive", "Confluence", "my docking station", "the Wi-Fi in the office",
    "Excel", "Adobe Acrobat", "my second monitor", "the intranet", "my company phone",
    "the remote desktop", "Salesforce", "the time tracking tool", "GitLab", "Visual Studio",
    "my keyboard", "the meeting room screen", "my mailbox", "the ERP system", "Okta",
]

INTERNAL_TOOLS_DE = [
    "Outlook", "Teams", "SAP", "das VPN", "Citrix", "mein Laptop", "der Drucker im 3. OG",
    "mein Windows-Konto", "die MFA-App", "SharePoint", "Jira", "Slack", "OneDrive", "Zoom",
    "das Netzlaufwerk", "Confluence", "meine Dockingstation", "das WLAN im Büro", "Excel",
    "Adobe Acrobat", "mein zweiter Monitor", "das Intranet", "mein Diensthandy",
    "der Remote-Desktop", "Salesforce", "die Zeiterfassung", "GitLab", "die Tastatur",
    "der Bildschirm im Besprechungsraum", "mein Postfach", "das ERP-System", "DATEV",
]

ERRORS = [
    "Error 500 Internal Server Error", "ERR_CONNECTION_REFUSED", "NullPointerException at com.app.sync.Worker.run",
    "Invalid token (code 401)", "0x80070005", "database timeout after 30s", "SSL handshake failed",
    "E-4012: sync conflict", "Segmentation fault (core dumped)", "HTTP 403 Forbidden",
    "Unable to connect to server", "disk quota exceeded", "502 Bad Gateway", "Something went wrong. Please try again later.",
    "java.lang.OutOfMemoryError", "ECONNRESET", "Request timed out", "ERR_TOO_MANY_REDIRECTS",
    "The application has stopped unexpectedly", "code: AUTH_FAILED", "Fehler 0xC004F074", "HTTP 429 Too Many Requests",
    "license key invalid", "TypeError: undefined is not a function", "upload failed (413)",
    "certificate has expired", "KeyError: 'customer_id'", "Error 1603", "DNS_PROBE_FINISHED_NXDOMAIN",
    "status 503 Service Unavailable", "failed to fetch", "ORA-12541: TNS:no listener",
]

CARRIERS = ["DHL", "UPS", "DPD", "Hermes", "GLS", "FedEx", "the post"]
BROWSERS = ["Chrome", "Firefox", "Safari", "Edge"]
OSES = ["Windows 11", "Windows 10", "macOS Sonoma", "macOS 14", "Ubuntu 22.04", "Android 14", "iOS 17", "iPadOS"]
PAYMENT_METHODS = ["credit card", "PayPal", "SEPA direct debit", "bank transfer", "Visa card", "Mastercard", "Apple Pay", "invoice"]
PAYMENT_METHODS_DE = ["Kreditkarte", "PayPal", "SEPA-Lastschrift", "Überweisung", "Visa-Karte", "Mastercard", "Apple Pay", "Rechnung"]
CITIES = ["Berlin", "Munich", "Hamburg", "Vienna", "Zurich", "London", "Cologne", "Frankfurt", "Leipzig", "Graz", "Dublin", "Amsterdam"]
CITIES_DE = ["Berlin", "München", "Hamburg", "Wien", "Zürich", "Köln", "Frankfurt", "Leipzig", "Graz", "Stuttgart", "Dresden", "Bremen"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WEEKDAYS_DE = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
MONTHS_DE = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"]

FIRST_NAMES = ["Anna", "James", "Maria", "Tom", "Sarah", "Michael", "Laura", "David", "Emma", "Lukas",
               "Sophie", "Jonas", "Olivia", "Ben", "Mia", "Paul", "Lena", "Felix", "Hannah", "Max",
               "Julia", "Daniel", "Chloe", "Ahmed", "Fatma", "Piotr", "Elena", "Marco", "Yuki", "Raj",
               "Katrin", "Stefan", "Ursula", "Jürgen", "Sabine", "Kevin", "Nina", "Oliver", "Grace", "Liam"]
LAST_NAMES = ["Smith", "Müller", "Schmidt", "Johnson", "Weber", "Brown", "Fischer", "Wagner", "Taylor", "Becker",
              "Hoffmann", "Schulz", "Wilson", "Koch", "Richter", "Klein", "Wolf", "Neumann", "Schwarz", "Evans",
              "Yilmaz", "Kowalski", "Rossi", "Novak", "Meyer", "Lehmann", "Walker", "Krüger", "Hartmann", "Lange"]
COMPANIES = ["Acme GmbH", "Nordwind Logistics", "Bluebird Ltd", "Schmidt & Partner", "Helios AG", "Greenfield Inc.",
             "Alpenblick Hotel", "Kaiser Bau GmbH", "Brightside Media", "Vega Consulting", "Lindner KG",
             "Orbit Software", "Sonnenschein Kita", "Meridian Health", "Falcon Freight", "Praxis Dr. Wolf"]
ROLES = ["Office Manager", "IT Administrator", "Head of Finance", "Project Lead", "Purchasing", "Teamleitung Vertrieb",
         "Buchhaltung", "CEO", "Customer Success", "Einkauf", "Marketing", "Operations", "Geschäftsführer"]
DEPARTMENTS = ["accounting", "marketing", "sales", "warehouse", "support", "engineering", "legal", "HR", "reception"]
DEPARTMENTS_DE = ["Buchhaltung", "Marketing", "Vertrieb", "Lager", "Support", "Entwicklung", "Rechtsabteilung", "Personalabteilung", "Empfang"]
