# Runs one scenario through Godot's own HTTPRequest node and prints its outcome as one "OUTCOME <json>" line.
# Started as `godot3-server --no-window -s driver.gd --scenario=<file.json>`; the scenario file holds the request
# and the node's settings. Every request of the scenario runs on the same node, one after the other.
extends SceneTree

var scenario = {}
var http
var frames = 0
var index = 0
var outcomes = []
var cancelled = false

func _init():
	for arg in OS.get_cmdline_args():
		if arg.begins_with("--scenario="):
			var file = File.new()
			file.open(arg.substr(11), File.READ)
			scenario = parse_json(file.get_as_text())
			file.close()
	http = HTTPRequest.new()
	get_root().add_child(http)
	var node = scenario.node
	http.download_chunk_size = int(node.downloadChunkSize)
	http.body_size_limit = int(node.bodySizeLimit)
	http.max_redirects = int(node.maxRedirects)
	http.timeout = int(node.timeout)
	http.download_file = node.downloadFile
	http.connect("request_completed", self, "_on_request_completed")
	_start()

func _start():
	var r = scenario.requests[index]
	var err = http.request(r.url, PoolStringArray(r.headers), true, int(r.method), r.body)
	if err != OK:
		_record({"err": err})

func _idle(_delta):
	frames += 1
	var cancel_at = int(scenario.requests[index].cancelAfterBytes)
	if cancel_at > 0 and not cancelled and http.get_downloaded_bytes() >= cancel_at:
		cancelled = true
		http.cancel_request()
		_record({"cancelled": true, "status": http.get_http_client_status()})
	return false

func _on_request_completed(result, response_code, headers, body):
	var text = ""
	if body.size() > 0:
		text = Marshalls.raw_to_base64(body)
	_record({"result": result, "code": response_code, "headers": Array(headers), "body": text})

func _record(outcome):
	outcome["frames"] = frames
	outcome["downloaded"] = http.get_downloaded_bytes()
	outcomes.append(outcome)
	index += 1
	frames = 0
	cancelled = false
	if index < scenario.requests.size():
		call_deferred("_start")
	else:
		print("OUTCOME " + to_json(outcomes))
		quit()
