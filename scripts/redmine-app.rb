# Boots Debian's Redmine (/usr/share/redmine, Rails 6.1) on a database and directory of our
# own, for the tests against a real Redmine (tests/support/redmine_real.rs) and for building
# their template (scripts/setup-redmine.sh). Two modes:
#
#   ruby scripts/redmine-app.rb setup DIR   # DIR/redmine.sqlite: migrate, default data, test data
#   ruby scripts/redmine-app.rb serve DIR   # WEBrick on 127.0.0.1, port chosen by the OS
#
# `serve` prints `listening on 127.0.0.1:PORT` on stdout once the socket accepts (the
# requests wait until Rails answers them). DIR holds database.yml (written here), the log
# and Rails' tmp/cache, so servers started side by side share nothing; Debian's own
# instance (/etc/redmine/default) is neither read nor changed.
#
# The server runs with TZ=UTC (Redmine stores local times: `default_timezone = :local`).
require 'fileutils'
# Before Bundler narrows the load path to Redmine's Gemfile, which has no web server.
require 'webrick'

mode, dir = ARGV
unless %w[setup serve].include?(mode) && dir
  warn 'usage: redmine-app.rb setup|serve DIR'
  exit 2
end
dir = File.expand_path(dir)
ENV['TZ'] = 'UTC'
ENV['RAILS_ENV'] = 'production'
redmine = ENV.fetch('TRIAGE_REDMINE_ROOT', '/usr/share/redmine')
FileUtils.mkdir_p(File.join(dir, 'tmp', 'cache'))
File.write(File.join(dir, 'database.yml'), <<~YAML)
  production:
    adapter: sqlite3
    database: #{File.join(dir, 'redmine.sqlite')}
    # Concurrent writers wait for SQLite's lock instead of failing at once with "database is locked".
    timeout: 10000
    encoding: utf8
YAML
Dir.chdir(redmine)
require File.join(redmine, 'config', 'application')

config = Rails.application.config
config.paths['config/database'] = File.join(dir, 'database.yml')
config.paths['log'] = File.join(dir, 'production.log')
config.paths['tmp'] = File.join(dir, 'tmp')
config.cache_store = :file_store, File.join(dir, 'tmp', 'cache')
config.secret_key_base = 'triage-redmine-test-' + ('0' * 64)
config.log_level = :warn
Rails.application.initialize!

if mode == 'setup'
  load File.join(__dir__, 'redmine-template.rb')
  exit 0
end

require 'rack/handler/webrick'
server = WEBrick::HTTPServer.new(
  BindAddress: '127.0.0.1', Port: 0,
  Logger: WEBrick::Log.new(File.join(dir, 'webrick.log'), WEBrick::Log::WARN),
  AccessLog: [],
  StartCallback: -> { $stdout.puts "listening on 127.0.0.1:#{server.config[:Port]}"; $stdout.flush }
)
server.mount('/', Rack::Handler::WEBrick, Rails.application)
%w[TERM INT].each { |sig| trap(sig) { server.shutdown } }
server.start
