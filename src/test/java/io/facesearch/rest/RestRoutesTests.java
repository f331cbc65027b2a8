package io.facesearch.rest;

import io.facesearch.transport.CreatePhotoIndexAction;
import io.facesearch.transport.DeletePhotoIndexAction;
import io.facesearch.transport.DetectAction;
import io.facesearch.transport.GetPhotoIndexAction;
import io.facesearch.transport.IdentifyAction;
import io.facesearch.transport.ModelsAction;
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
import org.opensearch.rest.BaseRestHandler;
import org.opensearch.rest.RestRequest;
import org.opensearch.search.SearchModule;
import org.opensearch.tasks.Task;
import org.opensearch.test.OpenSearchTestCase;
import org.opensearch.test.client.NoOpNodeClient;
import org.opensearch.test.rest.FakeRestChannel;
import org.opensearch.test.rest.FakeRestRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every REST endpoint of the plugin hands its work to the transport action of its own name, the name the security
 * plugin authorises: nothing is done in the REST layer but parsing.
 */
public class RestRoutesTests extends OpenSearchTestCase {
    private static final String PHOTO = "\"iVBORw0KGgo=\"";

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
        FakeRestRequest.Builder builder = new FakeRestRequest.Builder(
            new NamedXContentRegistry(new SearchModule(Settings.EMPTY, List.of()).getNamedXContents())
        ).withMethod(method).withPath(path).withParams(new java.util.HashMap<>(params));
        if (body != null) {
            builder.withContent(new BytesArray(body), MediaTypeRegistry.JSON);
        }
        FakeRestRequest request = builder.build();
        RecordingClient client = new RecordingClient("routes");
        try {
            handler.handleRequest(request, new FakeRestChannel(request, true, 1), client);
        } finally {
            client.close();
        }
        assertEquals(path + " runs one action: " + client.actions, 1, client.actions.size());
        return client.actions.get(0);
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
    }
}
