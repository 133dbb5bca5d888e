# Reads one VM definition of a lab work folder (nodes/<vm>.rb, a `config.vm.define` block) the way
# Vagrant would, and prints what the stand-in vagrant needs as JSON: forwarded ports, the host-only
# address and the provisioners in order. Used by the e2e's stand-in vagrant only.
require "json"

# Records every call made on it; nested blocks get recorders of their own.
class Recorder
  attr_reader :calls
  def initialize
    @calls = []
  end

  def method_missing(name, *args, **kwargs, &block)
    child = Recorder.new
    @calls << { name: name.to_s.sub(/=$/, ""), args: args, kwargs: kwargs, child: child }
    block&.call(child)
    child
  end

  def respond_to_missing?(*)
    true
  end
end

config = Recorder.new
eval(File.read(ARGV[0]), binding, ARGV[0])
define = config.calls.find { |c| c[:name] == "vm" }[:child].calls.find { |c| c[:name] == "define" }
vm = define[:child].calls.select { |c| c[:name] == "vm" }.map { |c| c[:child].calls }.flatten
out = { name: define[:args][0], forwards: [], ip: nil, provisioners: [] }
vm.each do |c|
  case c[:name]
  when "network"
    if c[:args][0] == "forwarded_port"
      out[:forwards] << { guest: c[:kwargs][:guest], host: c[:kwargs][:host], id: c[:kwargs][:id] }
    elsif c[:args][0] == "private_network"
      out[:ip] = c[:kwargs][:ip]
    end
  when "provision"
    out[:provisioners] << { type: c[:args][0] }.merge(c[:kwargs])
  end
end
puts JSON.generate(out)
