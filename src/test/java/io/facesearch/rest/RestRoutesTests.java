package io.facesearch.rest;

import io.facesearch.transport.ClusterPeopleAction;
import io.facesearch.transport.CreatePhotoIndexAction;
import io.facesearch.transport.DeletePhotoIndexAction;
import io.facesearch.transport.DetectAction;
import io.facesearch.transport.GetPeopleAction;
import io.facesearch.transport.GetPhotoIndexAction;
import io.facesearch.transport.IdentifyAction;
import io.facesearch.transport.MergePeopleAction;
import io.facesearch.transport.ModelsAction;
import io.facesearch.transport.NamePersonAction;
import io.facesearch.transport.RejectFacesAction;
import io.facesearch.transport.SplitPersonAction;
import io.facesearch.transport.StatsAction;
import io.facesearch.transport.VerifyAction;

import org.opensearch.action.ActionRequest;
import org.opensearch.action.ActionType;
import org.opensearch.common.settings.Settings;
import org.opensearch.core.action.ActionListener;
import org.opensearch.core.action.ActionResponse;
import org.opensearch.core.common.bytes.BytesArray;
import org.opensearch.core.tasks.TaskId;
import org.opensearch.core.xcontent.MediaTypeRegistry;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.http.HttpChannel;
import org.opensearch.http.HttpResponse;
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.rest.action.RestCancellableNodeClient;
import org.opensearch.search.SearchModule;
import org.opensearch.tasks.Task;
import org.opensearch.tasks.TaskListener;
import org.opensearch.test.OpenSearchTestCase;
import org.opensearch.test.client.NoOpNodeClient;
import org.opensearch.test.rest.FakeRestChannel;
import org.opensearch.test.rest.FakeRestRequest;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every REST endpoint of the plugin hands its work to the transport action of its own name, the name the security
 * plugin authorises: nothing is done in the REST layer but parsing.
 */
public class RestRoutesTests extends OpenSearchTestCase {
    private static final String PHOTO = "\"iVBORw0KGgo=\"";

    private static final NamedXContentRegistry REGISTRY = new NamedXContentRegistry(
        new SearchModule(Settings.EMPTY, List.of()).getNamedXContents()
    );

    /** An HTTP channel that tells its listeners when it is closed, as a client's connection does. */
    private static final class ClosingHttpChannel implements HttpChannel {
        private final List<ActionListener<Void>> closeListeners = new ArrayList<>();
        private boolean open = true;

        @Override
        public void sendResponse(HttpResponse response, ActionListener<Void> listener) {
            listener.onResponse(null);
        }

        @Override
        public InetSocketAddress getLocalAddress() {
            return null;
        }

        @Override
        public InetSocketAddress getRemoteAddress() {
            return null;
        }

        @Override
        public void addCloseListener(ActionListener<Void> listener) {
            if (open) {
                closeListeners.add(listener);
            } else {
                listener.onResponse(null);
            }
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
            closeListeners.forEach(listener -> listener.onResponse(null));
            closeListeners.clear();
        }
    }

    /** Records the actions executed through it and answers none. */
    private static final class RecordingClient extends NoOpNodeClient {
        final List<String> actions = new ArrayList<>();

        RecordingClient(String name) {
            super(name);
        }

        @Override
        public <Request extends ActionRequest, Response extends ActionResponse> Task executeLocally(
            ActionType<Response> action,
            Request request,
            ActionListener<Response> listener
        ) {
            actions.add(action.name());
            return new Task(actions.size(), "transport", action.name(), "", TaskId.EMPTY_TASK_ID, Map.of());
        }

        @Override
        public <Request extends ActionRequest, Response extends ActionResponse> Task executeLocally(
            ActionType<Response> action,
            Request request,
            TaskListener<Response> listener
        ) {
            // a task whose client does not wait: its listener hears of it only when it ends, which it never does here
            actions.add(action.name());
            return new Task(actions.size(), "transport", action.name(), "", TaskId.EMPTY_TASK_ID, Map.of());
        }

        @Override
        public String getLocalNodeId() {
            return "routes";
        }

        @Override
        public <Request extends ActionRequest, Response extends ActionResponse> void doExecute(
            ActionType<Response> action,
            Request request,
            ActionListener<Response> listener
        ) {
            actions.add(action.name());
        }
    }

    private static String actionOf(BaseRestHandler handler, RestRequest.Method method, String path, Map<String, String> params, String body)
        throws Exception {
        FakeRestRequest.Builder builder = new FakeRestRequest.Builder(REGISTRY).withMethod(method).withPath(path);
        if (body != null) {
            builder.withContent(new BytesArray(body), MediaTypeRegistry.JSON);
        }
        // the fake request's own channel never closes, and a cancellable handler would stay tracked by it for good
        ClosingHttpChannel httpChannel = new ClosingHttpChannel();
        RestRequest request = RestRequest.request(REGISTRY, builder.build().getHttpRequest(), httpChannel);
        request.params().putAll(params);
        RecordingClient client = new RecordingClient("routes");
        List<String> actions;
        try {
            handler.handleRequest(request, new FakeRestChannel(request, true, 1), client);
            actions = List.copyOf(client.actions);
            httpChannel.close();
        } finally {
            client.close();
        }
        assertEquals(path + " runs one action: " + actions, 1, actions.size());
        if (handler instanceof RestDetectAction || handler instanceof RestVerifyAction || handler instanceof RestIdentifyAction) {
            // the client went away while its photo was still being analysed: the work is cancelled
            assertEquals(List.of(actions.get(0), "cluster:admin/tasks/cancel"), client.actions);
        }
        return actions.get(0);
    }

    public void testEachEndpointRunsTheActionOfItsName() throws Exception {
        assertEquals(DetectAction.NAME, actionOf(new RestDetectAction(), RestRequest.Method.POST, "/_plugins/_face/detect", Map.of(), "{\"image\": " + PHOTO + "}"));
        assertEquals(
            VerifyAction.NAME,
            actionOf(new RestVerifyAction(), RestRequest.Method.POST, "/_plugins/_face/verify", Map.of(), "{\"image_a\": " + PHOTO + ", \"image_b\": " + PHOTO + "}")
        );
        assertEquals(
            IdentifyAction.NAME,
            actionOf(new RestIdentifyAction(), RestRequest.Method.POST, "/_plugins/_face/identify", Map.of(), "{\"index\": \"gallery\", \"vector\": [1, 0]}")
        );
        assertEquals(ModelsAction.NAME, actionOf(new RestModelsAction(), RestRequest.Method.GET, "/_plugins/_face/models", Map.of(), null));
        assertEquals(StatsAction.NAME, actionOf(new RestStatsAction(), RestRequest.Method.GET, "/_plugins/_face/stats", Map.of(), null));
        assertEquals(StatsAction.NAME, actionOf(new RestStatsAction(), RestRequest.Method.GET, "/_plugins/_face/node1/stats", Map.of("nodeId", "node1"), null));
        Map<String, String> index = Map.of("index", "photos");
        assertEquals(CreatePhotoIndexAction.NAME, actionOf(new RestPhotoIndexAction(), RestRequest.Method.PUT, "/_plugins/_face/index/photos", index, null));
        assertEquals(GetPhotoIndexAction.NAME, actionOf(new RestPhotoIndexAction(), RestRequest.Method.GET, "/_plugins/_face/index/photos", index, null));
        assertEquals(DeletePhotoIndexAction.NAME, actionOf(new RestPhotoIndexAction(), RestRequest.Method.DELETE, "/_plugins/_face/index/photos", index, null));
        assertEquals(ClusterPeopleAction.NAME, actionOf(new RestClusterPeopleAction(), RestRequest.Method.POST, "/_plugins/_face/people/photos/_cluster", index, "{\"mode\": \"full\"}"));
        assertEquals(
            ClusterPeopleAction.NAME,
            actionOf(new RestClusterPeopleAction(), RestRequest.Method.POST, "/_plugins/_face/people/photos/_cluster", Map.of("index", "photos", "wait_for_completion", "false"), null)
        );
        assertEquals(GetPeopleAction.NAME, actionOf(new RestPeopleAction(), RestRequest.Method.GET, "/_plugins/_face/people/photos", index, null));
        Map<String, String> person = Map.of("index", "photos", "person", "p1");
        assertEquals(GetPeopleAction.NAME, actionOf(new RestPeopleAction(), RestRequest.Method.GET, "/_plugins/_face/people/photos/p1", person, null));
        String faces = "{\"faces\": [{\"index\": \"photos\", \"id\": \"1\", \"face\": 0}]}";
        assertEquals(NamePersonAction.NAME, actionOf(new RestPersonEditAction(), RestRequest.Method.POST, "/_plugins/_face/people/photos/p1/_name", person, "{\"name\": \"Ada\"}"));
        assertEquals(
            MergePeopleAction.NAME,
            actionOf(new RestPersonEditAction(), RestRequest.Method.POST, "/_plugins/_face/people/photos/_merge", index, "{\"persons\": [\"p1\", \"p2\"]}")
        );
        assertEquals(SplitPersonAction.NAME, actionOf(new RestPersonEditAction(), RestRequest.Method.POST, "/_plugins/_face/people/photos/p1/_split", person, faces));
        assertEquals(RejectFacesAction.NAME, actionOf(new RestPersonEditAction(), RestRequest.Method.POST, "/_plugins/_face/people/photos/p1/_reject", person, faces));
        assertEquals("a closed connection leaves no request tracked", 0, RestCancellableNodeClient.getNumChannels());
    }

    public void testActionNamesFollowOpenSearchsConventions() {
        for (String name : List.of(DetectAction.NAME, VerifyAction.NAME)) {
            assertTrue(name, name.startsWith("cluster:admin/face_search/"));
        }
        for (String name : List.of(ModelsAction.NAME, StatsAction.NAME)) {
            assertTrue(name, name.startsWith("cluster:monitor/face_search/"));
        }
        // reads and changes of indices are index permissions, checked against the indices the request names
        assertTrue(IdentifyAction.NAME.startsWith("indices:data/read/face_search/"));
        for (String name : List.of(CreatePhotoIndexAction.NAME, GetPhotoIndexAction.NAME, DeletePhotoIndexAction.NAME)) {
            assertTrue(name, name.startsWith("indices:admin/face_search/photo_index/"));
        }
        // clustering maps and creates indices; reading persons reads, editing them writes photos and persons
        assertEquals("indices:admin/face_search/people/cluster", ClusterPeopleAction.NAME);
        assertEquals("indices:data/read/face_search/people/get", GetPeopleAction.NAME);
        for (String name : List.of(NamePersonAction.NAME, MergePeopleAction.NAME, SplitPersonAction.NAME, RejectFacesAction.NAME)) {
            assertTrue(name, name.startsWith("indices:data/write/face_search/people/"));
        }
    }
}
