# The data of the template database for the tests against a real Redmine, loaded by
# `redmine-app.rb setup DIR` inside the booted Rails app (see scripts/setup-redmine.sh).
# It mirrors the simulator's instance (runtime/sim/src/redmine/mod.rs), so the same adapter
# settings fit both:
# - Redmine's default data in English (trackers Bug/Feature/Support, statuses New … Rejected,
#   priorities Low … Immediate);
# - project 1 "Helpdesk" (`helpdesk`, the inbox) with one category per queue, and one
#   project per queue (`technical-support`, …), all private, every tracker enabled;
# - issue custom fields for all projects: Order number (string), Language (list en/de),
#   Support plan (list), Triage confidence (float), VIP (bool);
# - settings: REST API on, login required (without it a wrong key reads as anonymous, 200);
# - users: `admin` (Redmine's own, id 1) with the API key the adapter uses, and `onlooker`
#   (no memberships: sees no private project, for 403) with a key of its own.
require 'json'

ADMIN_KEY = 'triageredmineadminkey0000000000000000000'
ONLOOKER_KEY = 'triageredmineonlookerkey0000000000000000'
QUEUES = [
  'Technical Support', 'Product Support', 'Customer Service', 'IT Support',
  'Billing and Payments', 'Returns and Exchanges', 'Service Outages and Maintenance',
  'Sales and Pre-Sales', 'Human Resources', 'General Inquiry'
].freeze

ActiveRecord::Migration.verbose = false
ActiveRecord::Base.connection.migration_context.migrate
Redmine::Plugin.migrate
# Models the initializers loaded before the tables existed.
ActiveRecord::Base.descendants.each(&:reset_column_information)
Redmine::DefaultData::Loader.load('en')

Setting.rest_api_enabled = '1'
Setting.login_required = '1'
Setting.default_language = 'en'
# New projects get every tracker; notifications off (no mail server).
Setting.notified_events = []

ident = ->(name) { name.downcase.gsub(/[^a-z0-9]+/, '-').gsub(/\A-|-\z/, '') }
trackers = Tracker.all.to_a
new_project = lambda do |name, identifier|
  p = Project.new(name: name, identifier: identifier, is_public: false)
  p.trackers = trackers
  p.enabled_module_names = %w[issue_tracking]
  p.save!
  p
end
inbox = new_project.call('Helpdesk', 'helpdesk')
QUEUES.each do |q|
  new_project.call(q, ident.call(q))
  IssueCategory.create!(project: inbox, name: q)
end

[
  ['Order number', 'string', nil],
  ['Language', 'list', %w[en de]],
  ['Support plan', 'list', %w[Basic Premium Enterprise]],
  ['Triage confidence', 'float', nil],
  ['VIP', 'bool', nil]
].each do |name, format, values|
  # is_filter: a real Redmine ignores a cf_N filter on a field not marked "Used as a filter".
  f = IssueCustomField.new(name: name, field_format: format, is_for_all: true, visible: true,
                           is_filter: true)
  f.possible_values = values if values
  f.trackers = trackers
  f.save!
end

admin = User.find_by!(login: 'admin')
admin.update!(must_change_passwd: false, mail: 'admin@triage.test', firstname: 'Redmine',
              lastname: 'Admin')
Token.where(user: admin, action: 'api').delete_all
# Redmine generates a token's value on create; the tests need known keys (letters and
# digits only: Redmine ignores any other key).
Token.create!(user: admin, action: 'api').update_column(:value, ADMIN_KEY)
onlooker = User.new(firstname: 'No', lastname: 'Access', mail: 'onlooker@triage.test')
onlooker.login = 'onlooker'
onlooker.password = onlooker.password_confirmation = 'triage-redmine-test'
onlooker.save!
Token.create!(user: onlooker, action: 'api').update_column(:value, ONLOOKER_KEY)

puts JSON.generate(
  projects: Project.count, categories: IssueCategory.count,
  priorities: IssuePriority.order(:position).pluck(:id, :name),
  statuses: IssueStatus.order(:position).pluck(:id, :name),
  trackers: Tracker.order(:position).pluck(:id, :name),
  custom_fields: IssueCustomField.order(:id).pluck(:id, :name)
)
