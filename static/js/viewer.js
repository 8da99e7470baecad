// The 3D viewer (three.js from static/vendor/three, copied there by `make assets`).
// Shows the page's STL/PLY/OBJ meshes, each toggled on and off; orbit, pan and zoom with a
// mouse or fingers; "Measure" picks two points on the meshes (a click or a tap, not a drag)
// and shows the distance between them in millimetres, the unit dental files are made in.
import * as THREE from "../vendor/three/three.module.js";
import { OrbitControls } from "../vendor/three/OrbitControls.js";
import { STLLoader } from "../vendor/three/STLLoader.js";
import { PLYLoader } from "../vendor/three/PLYLoader.js";
import { OBJLoader } from "../vendor/three/OBJLoader.js";

const COLOURS = { upper: 0xe8d8c3, lower: 0xc9d8e8, design: 0xf0a531, scan: 0xd9d2e9 };
const TAP_SLOP_PX = 6; // a pointer that moved more than this was orbiting, not picking

const root = document.querySelector("[data-viewer]");
const canvas = root.querySelector("[data-viewer-canvas]");
const stage = canvas.parentElement;
const status = root.querySelector("[data-viewer-status]");
const toggles = root.querySelector("[data-mesh-toggles]");
const distanceOut = root.querySelector("[data-distance]");
const measureButton = root.querySelector("[data-measure]");
const meshes = JSON.parse(root.dataset.meshes);

function say(name, values) {
  let value = root.dataset[name] || "";
  Object.keys(values || {}).forEach((key) => { value = value.replace("{" + key + "}", values[key]); });
  return value;
}

function webglAvailable() {
  try {
    const probe = document.createElement("canvas");
    return Boolean(probe.getContext("webgl2") || probe.getContext("webgl"));
  } catch (error) {
    return false;
  }
}

if (!webglAvailable()) {
  status.textContent = say("textNoWebgl");
  root.dataset.state = "no-webgl";
} else {
  start();
}

function start() {
  const renderer = new THREE.WebGLRenderer({ canvas, antialias: true });
  renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
  const scene = new THREE.Scene();
  scene.background = new THREE.Color(0x1d2a32);
  const camera = new THREE.PerspectiveCamera(35, 1, 0.1, 5000);
  scene.add(new THREE.HemisphereLight(0xffffff, 0x445566, 1.6));
  const keyLight = new THREE.DirectionalLight(0xffffff, 1.4);
  camera.add(keyLight);
  keyLight.position.set(1, 1, 2);
  scene.add(camera);

  const controls = new OrbitControls(camera, canvas);
  controls.screenSpacePanning = true;
  controls.addEventListener("change", render);

  const group = new THREE.Group();
  scene.add(group);
  const measure = { on: false, points: [], marks: new THREE.Group() };
  scene.add(measure.marks);
  let home = null;

  function render() { renderer.render(scene, camera); }

  function resize() {
    const width = stage.clientWidth, height = stage.clientHeight;
    renderer.setSize(width, height, false);
    camera.aspect = width / Math.max(height, 1);
    camera.updateProjectionMatrix();
    render();
  }
  new ResizeObserver(resize).observe(stage);

  function frame() {
    const box = new THREE.Box3();
    group.children.forEach((child) => { if (child.visible) { box.expandByObject(child); } });
    if (box.isEmpty()) { return; }
    const centre = box.getCenter(new THREE.Vector3());
    const radius = box.getSize(new THREE.Vector3()).length() / 2 || 10;
    const distance = radius / Math.sin(THREE.MathUtils.degToRad(camera.fov / 2));
    camera.near = distance / 100; camera.far = distance * 100;
    camera.position.copy(centre).add(new THREE.Vector3(0, -0.35, 1).normalize().multiplyScalar(distance));
    camera.up.set(0, 0, 1);
    controls.target.copy(centre);
    camera.updateProjectionMatrix();
    controls.update();
    home = { position: camera.position.clone(), target: centre.clone() };
    measure.radius = radius;
    render();
  }

  function parse(format, buffer) {
    if (format === "stl") { return new STLLoader().parse(buffer); }
    if (format === "ply") { return new PLYLoader().parse(buffer); }
    const object = new OBJLoader().parse(new TextDecoder().decode(buffer));
    const parts = [];
    object.traverse((child) => { if (child.isMesh) { parts.push(child.geometry); } });
    return parts.length ? parts[0] : new THREE.BufferGeometry();
  }

  function addToggle(entry, object, buffer) {
    const item = document.createElement("li");
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox"; box.checked = true;
    box.addEventListener("change", () => { object.visible = box.checked; render(); });
    const swatch = document.createElement("span");
    swatch.className = "mesh-swatch swatch-" + entry.role;
    const name = document.createElement("span");
    name.textContent = entry.name;
    label.append(box, swatch, name);
    item.append(label);
    // Loading it was a preview; downloading it is a separate, explicit request (for a
    // patient scan, the one that hands it over). Absent when this reader may not download yet.
    if (buffer && entry.download) {
      const save = document.createElement("a");
      save.className = "mesh-save";
      save.href = entry.download;
      save.textContent = say("textSave");
      item.append(document.createElement("br"), save);
    }
    toggles.append(item);
  }

  async function load(entry) {
    const response = await fetch(entry.url, { credentials: "same-origin" });
    if (!response.ok) { throw new Error(String(response.status)); }
    const buffer = await response.arrayBuffer();
    const geometry = parse(entry.format, buffer);
    // STL normals are often zero or wrong (exporters skip them): derive them from the faces.
    if (!geometry.attributes.normal || entry.format === "stl") {
      geometry.deleteAttribute("normal");
      geometry.computeVertexNormals();
    }
    const material = new THREE.MeshStandardMaterial({
      color: geometry.attributes.color ? 0xffffff : COLOURS[entry.role], vertexColors: Boolean(geometry.attributes.color),
      roughness: 0.55, metalness: 0.05, side: THREE.DoubleSide });
    const mesh = new THREE.Mesh(geometry, material);
    mesh.name = entry.name;
    group.add(mesh);
    addToggle(entry, mesh, buffer);
  }

  function clearMeasure() {
    measure.points = [];
    measure.marks.clear();
    distanceOut.textContent = "";
    render();
  }

  function mark(point) {
    const size = (measure.radius || 10) / 80;
    const dot = new THREE.Mesh(new THREE.SphereGeometry(size, 16, 12),
      new THREE.MeshBasicMaterial({ color: 0xff3b30, depthTest: false }));
    dot.renderOrder = 2;
    dot.position.copy(point);
    measure.marks.add(dot);
  }

  function pick(event) {
    const rect = canvas.getBoundingClientRect();
    const pointer = new THREE.Vector2(((event.clientX - rect.left) / rect.width) * 2 - 1,
      -((event.clientY - rect.top) / rect.height) * 2 + 1);
    const ray = new THREE.Raycaster();
    ray.setFromCamera(pointer, camera);
    const hit = ray.intersectObjects(group.children.filter((child) => child.visible), false)[0];
    if (!hit) { return; }
    if (measure.points.length === 2) { clearMeasure(); }
    measure.points.push(hit.point.clone());
    mark(hit.point);
    if (measure.points.length === 1) {
      distanceOut.textContent = say("textPickSecond");
    } else {
      const [a, b] = measure.points;
      const line = new THREE.Line(new THREE.BufferGeometry().setFromPoints([a, b]),
        new THREE.LineBasicMaterial({ color: 0xff3b30, depthTest: false }));
      line.renderOrder = 2;
      measure.marks.add(line);
      distanceOut.textContent = say("textDistance", { mm: a.distanceTo(b).toFixed(2) });
    }
    render();
  }

  let down = null;
  canvas.addEventListener("pointerdown", (event) => { down = { x: event.clientX, y: event.clientY }; });
  canvas.addEventListener("pointerup", (event) => {
    if (measure.on && down && Math.hypot(event.clientX - down.x, event.clientY - down.y) <= TAP_SLOP_PX) {
      pick(event);
    }
    down = null;
  });

  measureButton.addEventListener("click", () => {
    measure.on = !measure.on;
    measureButton.setAttribute("aria-pressed", String(measure.on));
    root.classList.toggle("viewer-measuring", measure.on);
    clearMeasure();
    if (measure.on) { distanceOut.textContent = say("textPickFirst"); }
  });
  root.querySelector("[data-reset]").addEventListener("click", () => {
    if (!home) { return; }
    camera.position.copy(home.position);
    controls.target.copy(home.target);
    controls.update();
    render();
  });

  resize();
  let failed = 0;
  Promise.all(meshes.map((entry) => load(entry).catch(() => {
    failed += 1;
    addToggle(entry, new THREE.Object3D(), null);
  }))).then(() => {
    frame();
    status.textContent = failed ? say("textFailed") : "";
    root.dataset.state = group.children.length ? "ready" : "failed";
  });
}
