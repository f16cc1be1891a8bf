<?php
/**
 * Settings → Article card: where the server is, and which story sites it knows.
 *
 * @package ArticleEmbed
 */

defined( 'ABSPATH' ) || exit;

const ARTICLE_EMBED_OPTION = 'article_embed_settings';

/**
 * One setting: 'server' (URL) or 'sites' (origins, one a line).
 *
 * @param string $name The setting's name.
 * @return string
 */
function article_embed_setting( $name ) {
	$settings = get_option( ARTICLE_EMBED_OPTION, array() );
	return is_array( $settings ) && isset( $settings[ $name ] ) ? (string) $settings[ $name ] : '';
}

/**
 * The story sites: origins whose article pages the server has cards for.
 *
 * @return string[]
 */
function article_embed_story_sites() {
	$sites = array();
	foreach ( preg_split( '/\s+/', article_embed_setting( 'sites' ), -1, PREG_SPLIT_NO_EMPTY ) as $site ) {
		if ( preg_match( '#^https?://[^/]+#i', $site, $origin ) ) {
			$sites[] = esc_url_raw( $origin[0] );
		}
	}
	return $sites;
}

add_action( 'admin_init', 'article_embed_register_settings' );

/**
 * The settings, their section and fields.
 */
function article_embed_register_settings() {
	register_setting(
		'article_embed',
		ARTICLE_EMBED_OPTION,
		array(
			'type'              => 'array',
			'sanitize_callback' => 'article_embed_sanitize_settings',
			'default'           => array(),
		)
	);
	add_settings_section( 'article_embed_server', __( 'Your article-embed server', 'article-embed' ), 'article_embed_section_text', 'article_embed' );
	add_settings_field( 'article_embed_server', __( 'Server address', 'article-embed' ), 'article_embed_server_field', 'article_embed', 'article_embed_server', array( 'label_for' => 'article_embed_server' ) );
	add_settings_field( 'article_embed_sites', __( 'Story sites', 'article-embed' ), 'article_embed_sites_field', 'article_embed', 'article_embed_server', array( 'label_for' => 'article_embed_sites' ) );
}

/**
 * Keeps an http(s) server address and http(s) origins, nothing else.
 *
 * @param mixed $input What the form sent.
 * @return array
 */
function article_embed_sanitize_settings( $input ) {
	$input  = is_array( $input ) ? $input : array();
	$server = isset( $input['server'] ) ? untrailingslashit( esc_url_raw( trim( (string) $input['server'] ), array( 'http', 'https' ) ) ) : '';
	$sites  = array();
	foreach ( preg_split( '/\s+/', isset( $input['sites'] ) ? (string) $input['sites'] : '', -1, PREG_SPLIT_NO_EMPTY ) as $site ) {
		$site = esc_url_raw( $site, array( 'http', 'https' ) );
		if ( preg_match( '#^https?://[^/]+#i', $site, $origin ) ) {
			$sites[] = $origin[0];
		}
	}
	if ( '' === $server && ! empty( $input['server'] ) ) {
		add_settings_error( ARTICLE_EMBED_OPTION, 'server', __( 'The server address must be an http or https URL.', 'article-embed' ) );
	}
	return array(
		'server' => $server,
		'sites'  => implode( "\n", array_unique( $sites ) ),
	);
}

/**
 * The section's explanation.
 */
function article_embed_section_text() {
	echo '<p>' . esc_html__( 'Writers paste a story\'s URL, or use the Article card block or the [article_embed url="…"] shortcode, and the server\'s card appears: rendered into the post, so that readers without script see it too, with its newsletter signup.', 'article-embed' ) . '</p>';
}

/**
 * The server address field, or the constant that overrides it.
 */
function article_embed_server_field() {
	if ( defined( 'ARTICLE_EMBED_SERVER' ) ) {
		printf(
			'<code id="article_embed_server">%s</code><p class="description">%s</p>',
			esc_html( article_embed_server() ),
			esc_html__( 'Set by the ARTICLE_EMBED_SERVER constant in wp-config.php.', 'article-embed' )
		);
		return;
	}
	printf(
		'<input type="url" class="regular-text code" id="article_embed_server" name="%s[server]" value="%s" placeholder="https://cards.example.org"><p class="description">%s</p>',
		esc_attr( ARTICLE_EMBED_OPTION ),
		esc_attr( article_embed_setting( 'server' ) ),
		esc_html__( 'Where article-embed serve runs (its --public-url). Or define ARTICLE_EMBED_SERVER in wp-config.php.', 'article-embed' )
	);
}

/**
 * The story sites field.
 */
function article_embed_sites_field() {
	printf(
		'<textarea class="large-text code" rows="3" id="article_embed_sites" name="%s[sites]">%s</textarea><p class="description">%s</p>',
		esc_attr( ARTICLE_EMBED_OPTION ),
		esc_textarea( article_embed_setting( 'sites' ) ),
		esc_html__( 'Sites whose story pages the server has cards for (one origin a line, such as https://news.example): a pasted story URL of these sites becomes its card. The server\'s own article URLs always do.', 'article-embed' )
	);
}

add_action( 'admin_menu', 'article_embed_settings_page' );

/**
 * Settings → Article card.
 */
function article_embed_settings_page() {
	add_options_page( __( 'Article card', 'article-embed' ), __( 'Article card', 'article-embed' ), 'manage_options', 'article_embed', 'article_embed_render_settings_page' );
}

/**
 * The settings page.
 */
function article_embed_render_settings_page() {
	if ( ! current_user_can( 'manage_options' ) ) {
		return;
	}
	?>
	<div class="wrap">
		<h1><?php echo esc_html( get_admin_page_title() ); ?></h1>
		<form action="options.php" method="post">
			<?php
			settings_fields( 'article_embed' );
			do_settings_sections( 'article_embed' );
			submit_button();
			?>
		</form>
	</div>
	<?php
}

add_filter( 'plugin_action_links_' . plugin_basename( ARTICLE_EMBED_PLUGIN_FILE ), 'article_embed_action_links' );

/**
 * A Settings link on the Plugins screen.
 *
 * @param string[] $links The plugin's links.
 * @return string[]
 */
function article_embed_action_links( $links ) {
	array_unshift( $links, sprintf( '<a href="%s">%s</a>', esc_url( admin_url( 'options-general.php?page=article_embed' ) ), esc_html__( 'Settings', 'article-embed' ) ) );
	return $links;
}
